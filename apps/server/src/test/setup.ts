import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir.js';

// Runs before every test file (vitest setupFiles): the file's temporary folders go with it.
afterAll(() => removeTempDirs());
