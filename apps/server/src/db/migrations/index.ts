import type { Migration } from 'kysely';
import * as foundation from './2026-11-27-0001-foundation.js';

/** Every migration in order. Names are ISO-dated; a merged migration is never edited. */
export const migrations: Record<string, Migration> = {
  '2026-11-27-0001-foundation': foundation,
};
