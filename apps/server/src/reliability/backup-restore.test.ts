import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, fingerprintDatabase, listFiles, sha256File, type Manifest } from '../cli/backup.js';
import { createDb } from '../db/create-db.js';
import { integrityProblems } from '../test/reliability/checks.js';
import { acked, Client } from '../test/reliability/client.js';
import { WriteLoad } from '../test/reliability/load.js';
import { onPostgres, recordFigures, sleep } from '../test/reliability/scale.js';
import { createScratchDb, RealServer, SERVER_DIR, seedScratch, tempDataDir, type ScratchDb } from '../test/reliability/server.js';
import type { World } from '../test/world.js';

/*
 * `npm run backup` while the server runs and writes, then `npm run restore`: the restored
 * database has exactly the backup's row counts and checksums, passes integrity_check, holds
 * every ticket acknowledged before the backup began, and the files and keys come back with it.
 * Restore refuses while the server has the database open (without --force).
 */

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

function cli(script: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(SERVER_DIR, `src/cli/${script}.ts`), ...args], {
    cwd: SERVER_DIR, encoding: 'utf8', timeout: 120_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe(`backup and restore (${onPostgres ? 'postgres: files and keys; the database by pg_dump' : 'sqlite'})`, () => {
  const data = tempDataDir('ql-backup-');
  const backups = tempDataDir('ql-backups-');
  let scratch: ScratchDb;
  let world: World;
  let server: RealServer;
  let agent: Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    scratch = await createScratchDb(data.dir);
    world = await seedScratch(data.dir, scratch);
    env = { DATA_DIR: data.dir, DATABASE_URL: scratch.url };
    server = new RealServer({ dataDir: data.dir, databaseUrl: scratch.url });
    await server.start();
    env.PORT = String(server.port);
    agent = new Client(() => server.base, 'agent_a');
    await agent.login();
  }, 120_000);
  afterAll(async () => {
    await server?.kill();
    await scratch?.drop();
    data.remove();
    backups.remove();
  });

  it('an online backup under write load restores to the same rows, checksums, files and keys', async () => {
    // Some records and an attachment (a file under DATA_DIR/files).
    const t = await agent.send('POST', '/api/tickets', { body: { type: 'repair', severity: 'routine', channel: 'hotline', projectId: world.projectA, description: '备份前的工单' } });
    expect(t.ok && acked(t)).toBe(true);
    const ticketId = t.ok ? (t.body.id as string) : '';
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'photo.png');
    const up = await fetch(`${server.base}/api/tickets/${ticketId}/attachments`, { method: 'POST', headers: { cookie: agent.cookie!, 'x-requested-with': 'XMLHttpRequest' }, body: form });
    expect(up.status, await up.clone().text()).toBe(201);
    const attachmentId = ((await up.json()) as { id: string }).id;

    const load = new WriteLoad(agent, world, `backup-${randomBytes(3).toString('hex')}`);
    load.start(2);
    await sleep(500);
    const ackedBefore = new Map(load.acked);
    const b = cli('backup', ['--out', backups.dir], env);
    await sleep(300);
    await load.stop();
    expect(b.code, b.out).toBe(0);
    const dir = join(backups.dir, readdirSync(backups.dir)[0]!);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.keys.sort()).toEqual(['cti-secret.key', 'field-encryption.key', 'session-secret.key']);
    expect(manifest.files.map((f) => f.path)).toEqual(listFiles(join(data.dir, 'files')).filter((p) => !p.endsWith('.tmp')));

    if (onPostgres) {
      expect(manifest.database).toBeNull();
      expect(b.out).toMatch(/pg_dump/);
      recordFigures('backup-restore', { files: manifest.files.length, keys: manifest.keys.length, database: 'pg_dump (docs/operations.md)' });
      return;
    }

    expect(manifest.database).not.toBeNull();
    // Every ticket acknowledged before the backup began is in it.
    const copy = createDb(`sqlite:${join(dir, 'qiaoliang.db')}`);
    try {
      for (const [key, tk] of ackedBefore) {
        const rows = await copy.db.selectFrom('tickets').select('id').where('idempotency_key', '=', key).execute();
        expect(rows.map((r) => r.id), key).toEqual([tk.id]);
      }
    } finally {
      await copy.db.destroy();
    }

    // Writes after the backup: the restore must take the database back to the backup.
    await agent.send('POST', '/api/tickets', { body: { type: 'inquiry', severity: 'routine', channel: 'hotline', projectId: world.projectA, description: '备份之后的工单' } });

    // Refused while the server has the database open.
    const refused = cli('restore', [dir], env);
    expect(refused.code, refused.out).toBe(3);
    expect(refused.out).toMatch(/open in process|answers on port/);

    await server.stop();
    await scratch.db.destroy();
    const r = cli('restore', [dir], env);
    expect(r.code, r.out).toBe(0);

    const restored = createDb(scratch.url);
    try {
      const now = await fingerprintDatabase(restored.db);
      expect(diffFingerprints(manifest.database!.tables, now)).toEqual([]);
      expect(await integrityProblems(restored.db)).toEqual([]);
      for (const f of manifest.files) expect(sha256File(join(data.dir, 'files', f.path))).toBe(f.sha256);
      for (const k of manifest.keys) expect(readFileSync(join(data.dir, k))).toEqual(readFileSync(join(dir, 'keys', k)));
      const rows = Object.values(now).reduce((n, x) => n + x.rows, 0);
      recordFigures('backup-restore', { tables: Object.keys(now).length, rows, files: manifest.files.length, keys: manifest.keys.length, checksumsEqual: true, ticketsAcknowledgedBeforeBackup: ackedBefore.size });
    } finally {
      await restored.db.destroy();
    }
    // The previous database was kept aside, not deleted.
    expect(readdirSync(data.dir).some((f) => f.startsWith('qiaoliang.db.before-restore-'))).toBe(true);

    // The restored installation serves, with its file.
    await server.start();
    const again = new Client(() => server.base, 'agent_a');
    await again.login();
    const dl = await again.send('GET', `/api/attachments/${attachmentId}`);
    expect(dl.ok && dl.status).toBe(200);
    expect(existsSync(join(data.dir, 'files'))).toBe(true);
    scratch.db = createDb(scratch.url).db;
  }, 300_000);
});
