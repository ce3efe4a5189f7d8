import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { callerCwd, CTI_SECRET_FILE, loadConfig, type Config } from '../config.js';
import { createDb } from '../db/create-db.js';
import { isPostgres, type AnySchemaDb } from '../db/dialect.js';

/*
 * `npm run backup [-- --out <dir>]`: an online, consistent backup of a running (or stopped)
 * installation into a timestamped folder:
 *
 *   qiaoliang-backup-<UTC timestamp>/
 *     qiaoliang.db      SQLite's online backup API (a consistent snapshot while writers go on)
 *     files/            the uploaded files (attachments), copied after the database snapshot
 *     keys/             field-encryption.key, session-secret.key, cti-secret.key (mode 0600)
 *     manifest.json     row counts and checksums of every table, size and SHA-256 of every file
 *
 * The keys belong with the database: ID numbers are encrypted with the field key, so a
 * database restored without its key cannot show them. Keep backups off the machine, and as
 * secret as the keys they hold. On PostgreSQL the database is backed up with pg_dump (see
 * docs/operations.md); this command then saves the files and keys only.
 */

/** The generated secrets kept in DATA_DIR (when not given in the environment). */
export const KEY_FILES = ['field-encryption.key', 'session-secret.key', CTI_SECRET_FILE] as const;
export const MANIFEST = 'manifest.json';
export const DB_FILE = 'qiaoliang.db';

export interface TableFingerprint {
  rows: number;
  /** Order-independent digest of the table's rows. */
  checksum: string;
}

export interface Manifest {
  format: 1;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** SQLite only: the database file in the backup folder, its tables and the latest migration. */
  database: { file: string; tables: Record<string, TableFingerprint>; latestMigration: string | null } | null;
  files: { path: string; size: number; sha256: string }[];
  keys: string[];
}

const MASK_256 = (1n << 256n) - 1n;

/** Canonical text of a row: column names sorted, binary as hex, numbers and bigints alike. */
function canonicalRow(row: Record<string, unknown>): string {
  const keys = Object.keys(row).sort();
  return JSON.stringify(keys.map((k) => {
    const v = row[k];
    if (v === null || v === undefined) return null;
    if (Buffer.isBuffer(v)) return `hex:${v.toString('hex')}`;
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return String(v);
    return v;
  }));
}

/** The tables of the database (the current schema on PostgreSQL), by name. */
export async function listTables(db: AnySchemaDb): Promise<string[]> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * Row count and checksum of every table, to compare a database with a backup (or with itself
 * before and after a request). The checksum is a sum of per-row hashes, so row order does not
 * matter; it is comparable between two databases of the same dialect.
 */
export async function fingerprintDatabase(db: AnySchemaDb, opts: { exclude?: readonly string[] } = {}): Promise<Record<string, TableFingerprint>> {
  const tables = (await listTables(db)).filter((t) => !opts.exclude?.includes(t));
  const out: Record<string, TableFingerprint> = {};
  if (tables.length === 0) return out;
  if (isPostgres(db)) {
    // One round trip: the per-row md5 sums are computed in the database.
    const parts = tables.map((t) => sql`select ${t}::text as name, count(*)::bigint as rows,
      coalesce(sum(('x' || substr(md5(r::text), 1, 15))::bit(60)::bigint::numeric), 0)::text as sum from ${sql.table(t)} r`);
    const { rows } = await sql<{ name: string; rows: number; sum: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
    for (const r of rows) out[r.name] = { rows: Number(r.rows), checksum: BigInt(r.sum).toString(16).padStart(16, '0') };
    return out;
  }
  for (const t of tables) {
    let sum = 0n;
    let count = 0;
    let last: number | null = null;
    // Paged by rowid, so a large table never sits in memory whole.
    for (;;) {
      const page: { rows: Record<string, unknown>[] } = last === null
        ? await sql<Record<string, unknown>>`select rowid as "__rowid", * from ${sql.table(t)} order by rowid limit 5000`.execute(db)
        : await sql<Record<string, unknown>>`select rowid as "__rowid", * from ${sql.table(t)} where rowid > ${last} order by rowid limit 5000`.execute(db);
      if (page.rows.length === 0) break;
      for (const row of page.rows) {
        last = Number(row.__rowid);
        const { __rowid: _ignored, ...data } = row;
        sum = (sum + BigInt(`0x${createHash('sha256').update(canonicalRow(data)).digest('hex')}`)) & MASK_256;
        count++;
      }
      if (page.rows.length < 5000) break;
    }
    out[t] = { rows: count, checksum: sum.toString(16).padStart(64, '0') };
  }
  return out;
}

/** The tables whose fingerprints differ (or exist on one side only). */
export function diffFingerprints(a: Record<string, TableFingerprint>, b: Record<string, TableFingerprint>): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((n) => a[n]?.rows !== b[n]?.rows || a[n]?.checksum !== b[n]?.checksum).sort();
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every regular file under a folder, as paths relative to it (sorted). */
export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

const timestamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

async function latestMigration(db: AnySchemaDb): Promise<string | null> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
    return rows[0]?.name ?? null;
  } catch {
    return null;
  }
}

/**
 * Makes a backup folder under `outDir` and returns its path and manifest. SQLite: the online
 * backup API copies a consistent snapshot page by page while the server keeps writing; the
 * files and keys are copied after it, so every attachment the snapshot references is there
 * (an upload writes its file before its row commits).
 */
export async function createBackup(config: Config, outDir: string, now = new Date()): Promise<{ dir: string; manifest: Manifest }> {
  const dir = join(outDir, `qiaoliang-backup-${timestamp(now)}`);
  if (existsSync(dir)) throw new Error(`${dir} already exists`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);

  let database: Manifest['database'] = null;
  if (config.dialect === 'sqlite') {
    if (!config.sqlitePath || config.sqlitePath === ':memory:') throw new Error('an in-memory database cannot be backed up');
    if (!existsSync(config.sqlitePath)) throw new Error(`no database at ${config.sqlitePath}`);
    const source = new Database(config.sqlitePath, { fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      await source.backup(join(dir, DB_FILE));
    } finally {
      source.close();
    }
    chmodSync(join(dir, DB_FILE), 0o600);
    // The fingerprint is taken of the copy: it is what a restore must reproduce.
    const { db } = createDb(`sqlite:${join(dir, DB_FILE)}`);
    try {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
      if (check.rows[0]?.integrity_check !== 'ok') throw new Error(`the backup copy fails integrity_check: ${JSON.stringify(check.rows)}`);
      database = { file: DB_FILE, tables: await fingerprintDatabase(db), latestMigration: await latestMigration(db) };
    } finally {
      await db.destroy();
    }
  }

  const filesRoot = join(config.dataDir, 'files');
  const files: Manifest['files'] = [];
  for (const rel of listFiles(filesRoot)) {
    // A temporary upload name: the upload had not finished, no row can reference it.
    if (rel.endsWith('.tmp')) continue;
    const target = join(dir, 'files', rel);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(filesRoot, rel), target);
    chmodSync(target, 0o600);
    files.push({ path: rel, size: statSync(target).size, sha256: sha256File(target) });
  }

  const keys: string[] = [];
  for (const k of KEY_FILES) {
    const p = join(config.dataDir, k);
    if (!existsSync(p)) continue;
    mkdirSync(join(dir, 'keys'), { recursive: true, mode: 0o700 });
    copyFileSync(p, join(dir, 'keys', k));
    chmodSync(join(dir, 'keys', k), 0o600);
    keys.push(k);
  }

  const manifest: Manifest = { format: 1, createdAt: now.toISOString(), dialect: config.dialect, database, files, keys };
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  return { dir, manifest };
}

/** Reads `--name value` from argv. */
export function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    process.stdout.write('usage: npm run backup [-- --out <folder>]   (default folder: ./backups)\n');
    return;
  }
  const config = loadConfig();
  const outArg = argValue(argv, '--out') ?? 'backups';
  const outDir = isAbsolute(outArg) ? outArg : resolve(callerCwd(), outArg);
  const { dir, manifest } = await createBackup(config, outDir);
  const rows = manifest.database ? Object.values(manifest.database.tables).reduce((n, t) => n + t.rows, 0) : 0;
  process.stdout.write(`Backup written to ${dir}\n`);
  if (manifest.database) process.stdout.write(`  database: ${Object.keys(manifest.database.tables).length} tables, ${rows} rows (integrity_check ok)\n`);
  else process.stdout.write('  database: PostgreSQL is not in this folder: back it up with pg_dump (docs/operations.md)\n');
  process.stdout.write(`  files: ${manifest.files.length}; keys: ${manifest.keys.join(', ') || 'none (given in the environment)'}\n`);
}

if (process.argv[1] && /backup\.(ts|js)$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
