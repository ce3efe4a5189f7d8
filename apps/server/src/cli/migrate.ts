import { loadConfig } from '../config.js';
import { createDb } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';

/** `npm run db:migrate`: applies pending migrations to the configured database. */
const config = loadConfig();
const { db } = createDb(config.databaseUrl);
try {
  const applied = await migrateToLatest(db);
  process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
} finally {
  await db.destroy();
}
