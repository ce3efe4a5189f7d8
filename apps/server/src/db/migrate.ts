import { Migrator, sql } from 'kysely';
import { isPostgres, type AnySchemaDb } from './dialect.js';
import { migrations } from './migrations/index.js';

/** Brings the schema to the latest migration; throws with the failing migration's error. */
export async function migrateToLatest(db: AnySchemaDb): Promise<string[]> {
  // Kysely looks for its bookkeeping tables across schemas; pin it to ours so that several
  // schemas in one PostgreSQL database (tests, tenants) never see each other's.
  let migrationTableSchema: string | undefined;
  if (isPostgres(db)) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
