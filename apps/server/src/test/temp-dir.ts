import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/**
 * A fresh temporary folder (a DATA_DIR with its key files, an upload area) that is removed
 * after the test file that made it (test/setup.ts), so that a test need not remember it and a
 * run leaves nothing behind in /tmp.
 */
export function tempDir(prefix: string, base = tmpdir()): string {
  const dir = mkdtempSync(join(base, prefix));
  made.push(dir);
  return dir;
}

/** Has a file or folder made elsewhere (a server bundle) removed with the temporary folders. */
export function removeAfterFile(path: string): void {
  made.push(path);
}

/** Removes every folder tempDir made (and path removeAfterFile was given) so far. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
