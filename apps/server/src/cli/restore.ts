import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { sql } from 'kysely';
import { callerCwd, loadConfig, type Config } from '../config.js';
import { createDb } from '../db/create-db.js';
import { diffFingerprints, fingerprintDatabase, KEY_FILES, MANIFEST, sha256File, type Manifest } from './backup.js';

/*
 * `npm run restore -- <backup folder> [--force]`: puts a backup made by `npm run backup` back
 * into DATA_DIR. It checks the backup first (manifest, integrity_check, every table's row count
 * and checksum, every file's SHA-256), refuses while a process has the database open (a running
 * server) unless --force, and moves what it replaces aside (`*.before-restore-<time>`) instead
 * of deleting it.
 */

export class RestoreRefused extends Error {}

/** Processes (other than this one) that have `path` open, read from /proc (Linux). */
export function processesHolding(path: string): number[] {
  const target = resolve(path);
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${e}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${e}/fd/${fd}`);
        if (link === target || link === `${target}-wal`) {
          pids.push(Number(e));
          break;
        }
      } catch {
        // The descriptor closed meanwhile.
      }
    }
  }
  return pids;
}

/** Whether a Qiaoliang server answers on the configured port of this machine. */
async function serverAnswers(config: Config): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${config.port}/api/health`, { signal: AbortSignal.timeout(1_000) });
    return res.status === 200 || res.status === 503;
  } catch {
    return false;
  }
}

/** Checks a backup folder against its manifest; returns the manifest. */
export async function verifyBackup(dir: string): Promise<Manifest> {
  const manifestPath = join(dir, MANIFEST);
  if (!existsSync(manifestPath)) throw new RestoreRefused(`${dir} is not a backup folder (no ${MANIFEST})`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  if (manifest.format !== 1) throw new RestoreRefused(`unknown backup format ${String(manifest.format)}`);
  if (manifest.database) {
    const { db } = createDb(`sqlite:${join(dir, manifest.database.file)}`);
    try {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
      if (check.rows[0]?.integrity_check !== 'ok') throw new RestoreRefused('the backup database fails integrity_check');
      const diff = diffFingerprints(manifest.database.tables, await fingerprintDatabase(db));
      if (diff.length) throw new RestoreRefused(`the backup database differs from its manifest in: ${diff.join(', ')}`);
    } finally {
      await db.destroy();
    }
  }
  for (const f of manifest.files) {
    const p = join(dir, 'files', f.path);
    if (!existsSync(p) || sha256File(p) !== f.sha256) throw new RestoreRefused(`file ${f.path} is missing or damaged in the backup`);
  }
  return manifest;
}

export interface RestoreResult {
  manifest: Manifest;
  /** Where the replaced database, files and keys were moved. */
  setAside: string[];
}

/**
 * Restores a verified backup into the configured DATA_DIR (and SQLite database). Refuses while
 * the database is open in another process or a server answers on PORT, unless `force`.
 */
export async function restoreBackup(config: Config, dir: string, opts: { force?: boolean; now?: Date } = {}): Promise<RestoreResult> {
  const manifest = await verifyBackup(dir);
  if (manifest.dialect !== config.dialect) throw new RestoreRefused(`the backup is of ${manifest.dialect}, the configuration names ${config.dialect}`);
  const dbPath = config.sqlitePath;
  if (config.dialect === 'sqlite' && (!dbPath || dbPath === ':memory:')) throw new RestoreRefused('DATABASE_URL names no SQLite file');
  if (!opts.force) {
    const holders = dbPath ? processesHolding(dbPath) : [];
    if (holders.length) throw new RestoreRefused(`the database ${dbPath} is open in process ${holders.join(', ')} (a running server?): stop it first, or pass --force`);
    if (await serverAnswers(config)) throw new RestoreRefused(`a server answers on port ${config.port}: stop it first, or pass --force`);
  }
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const setAside: string[] = [];
  const moveAside = (p: string) => {
    if (!existsSync(p)) return;
    const to = `${p}.before-restore-${stamp}`;
    renameSync(p, to);
    setAside.push(to);
  };

  if (manifest.database && dbPath) {
    // Copy under a temporary name, then rename: a crash mid-restore leaves the old database or the new one, never half of one.
    mkdirSync(dirname(dbPath), { recursive: true });
    const tmp = `${dbPath}.restoring`;
    rmSync(tmp, { force: true });
    copyFileSync(join(dir, manifest.database.file), tmp);
    chmodSync(tmp, 0o600);
    moveAside(dbPath);
    // The old write-ahead log belongs to the old database: applied to the new one it would corrupt it.
    moveAside(`${dbPath}-wal`);
    rmSync(`${dbPath}-shm`, { force: true });
    renameSync(tmp, dbPath);
  }

  const filesRoot = join(config.dataDir, 'files');
  moveAside(filesRoot);
  for (const f of manifest.files) {
    const target = join(filesRoot, f.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(dir, 'files', f.path), target);
    chmodSync(target, 0o600);
  }
  for (const k of manifest.keys) {
    if (!(KEY_FILES as readonly string[]).includes(k)) continue;
    const target = join(config.dataDir, k);
    // The same key already in place: nothing to replace.
    if (existsSync(target) && readFileSync(target).equals(readFileSync(join(dir, 'keys', k)))) continue;
    moveAside(target);
    copyFileSync(join(dir, 'keys', k), target);
    chmodSync(target, 0o600);
  }

  if (manifest.database && dbPath) {
    // What is now in place must be what the backup holds.
    const { db } = createDb(`sqlite:${dbPath}`);
    try {
      const diff = diffFingerprints(manifest.database.tables, await fingerprintDatabase(db));
      if (diff.length) throw new Error(`the restored database differs from the backup in: ${diff.join(', ')}`);
    } finally {
      await db.destroy();
    }
  }
  return { manifest, setAside };
}

async function main(argv: string[]): Promise<void> {
  const positional = argv.filter((a) => !a.startsWith('--'));
  if (argv.includes('--help') || positional.length !== 1) {
    process.stdout.write('usage: npm run restore -- <backup folder> [--force]\n');
    process.exitCode = argv.includes('--help') ? 0 : 2;
    return;
  }
  const dir = isAbsolute(positional[0]!) ? positional[0]! : resolve(callerCwd(), positional[0]!);
  const config = loadConfig();
  const { manifest, setAside } = await restoreBackup(config, dir, { force: argv.includes('--force') });
  process.stdout.write(`Restored the backup of ${manifest.createdAt} into ${config.dataDir}\n`);
  if (manifest.database) process.stdout.write(`  database: ${Object.keys(manifest.database.tables).length} tables, row counts and checksums match the backup\n`);
  else process.stdout.write('  database: not in this backup (PostgreSQL): restore it with pg_restore (docs/operations.md)\n');
  process.stdout.write(`  files: ${manifest.files.length}; keys: ${manifest.keys.join(', ') || 'none'}\n`);
  for (const p of setAside) process.stdout.write(`  kept the previous ${p}\n`);
  process.stdout.write('Start the server and run `npm run audit:verify`.\n');
}

if (process.argv[1] && /restore\.(ts|js)$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`restore failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof RestoreRefused ? 3 : 1);
  });
}
