import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrityProblems, ticketProblems } from '../test/reliability/checks.js';
import { acked, Client } from '../test/reliability/client.js';
import { WriteLoad } from '../test/reliability/load.js';
import { LONG, onPostgres, recordFigures, sleep, until } from '../test/reliability/scale.js';
import { createScratchDb, RealServer, seedScratch, tempDataDir, type ScratchDb } from '../test/reliability/server.js';
import { TcpProxy } from '../test/reliability/tcp-proxy.js';
import type { World } from '../test/world.js';

/*
 * The database goes away under load. PostgreSQL: the connection is cut (a relay in front of
 * the server drops every connection and refuses new ones, so other test files sharing the
 * cluster are not disturbed); in the long run also a real `pg_ctlcluster restart`. SQLite:
 * another process holds the write lock past the busy timeout. While it lasts, requests fail
 * cleanly with 503 problem+json and Retry-After and /api/health says the database is
 * unreachable; afterwards the server is back by itself and nothing acknowledged is lost.
 */

function problem503(o: Awaited<ReturnType<Client['send']>>): string[] {
  if (!o.ok) return [`no answer: ${o.error}`];
  const out: string[] = [];
  if (o.status !== 503) out.push(`status ${o.status}: ${o.text.slice(0, 200)}`);
  if (!String(o.headers.get('content-type')).startsWith('application/problem+json')) out.push(`content-type ${o.headers.get('content-type')}`);
  if (!o.headers.get('retry-after')) out.push('no Retry-After');
  return out;
}

if (onPostgres) {
  describe('PostgreSQL outage under load', () => {
    const data = tempDataDir('ql-pg-outage-');
    let scratch: ScratchDb;
    let world: World;
    let proxy: TcpProxy;
    let server: RealServer;
    let agent: Client;

    beforeAll(async () => {
      scratch = await createScratchDb(data.dir);
      world = await seedScratch(data.dir, scratch);
      const u = new URL(scratch.url);
      proxy = new TcpProxy(u.hostname, Number(u.port || 5432));
      await proxy.start();
      u.hostname = '127.0.0.1';
      u.port = String(proxy.port);
      server = new RealServer({ dataDir: data.dir, databaseUrl: u.toString() });
      await server.start();
      agent = new Client(() => server.base, 'agent_a');
      await agent.login();
    }, 120_000);
    afterAll(async () => {
      await server?.kill();
      await proxy?.cut();
      await scratch?.drop();
      data.remove();
    });

    it('cut connection: 503 problem+json with Retry-After, health unreachable, reconnects by itself, nothing lost', async () => {
      const load = new WriteLoad(agent, world, `pgcut-${randomBytes(3).toString('hex')}`);
      load.start(2);
      await sleep(800);
      await proxy.cut();
      const cutAt = Date.now();
      await sleep(300);
      const health = await agent.send('GET', '/api/health');
      expect(health.ok && health.status, `${health.ok ? health.text : health.error}\n${server.logTail(30)}`).toBe(503);
      if (health.ok) expect(health.body).toMatchObject({ database: 'unreachable' });
      const write = await agent.send('POST', '/api/tickets', { headers: { 'idempotency-key': `pgcut-probe-${Date.now()}` }, body: { type: 'inquiry', severity: 'routine', channel: 'hotline', projectId: world.projectA, description: '停库期间登记' } });
      expect(problem503(write)).toEqual([]);
      await sleep(2_500);
      await proxy.restore();
      const restoredAt = Date.now();
      await until(async () => {
        const h = await agent.send('GET', '/api/health');
        return h.ok && h.status === 200;
      }, 20_000, 'health back to ok');
      const backMs = Date.now() - restoredAt;
      // Writes succeed again without any restart of the server.
      await until(async () => acked(await agent.send('GET', '/api/auth/me')), 10_000, 'requests succeed');
      await sleep(500);
      await load.stop();
      await load.retryUnanswered();
      await load.refreshUnknown();
      expect([...load.violations, ...(await load.verifyAgainst(scratch.db)), ...(await ticketProblems(scratch.db)), ...(await integrityProblems(scratch.db))]).toEqual([]);
      expect(load.stats.unavailable).toBeGreaterThan(0);
      recordFigures('pg-outage-cut', { outageMs: restoredAt - cutAt, backAfterMs: backMs, ...load.stats, acknowledgedLost: 0 });
    }, 120_000);

    if (LONG) {
      it('a real restart of the PostgreSQL cluster (pg_ctlcluster): same guarantees', async () => {
        const version = readdirSync('/etc/postgresql')[0]!;
        const direct = new RealServer({ dataDir: data.dir, databaseUrl: scratch.url, logFile: `${data.dir}/direct.log` });
        await direct.start();
        const c = new Client(() => direct.base, 'agent_a');
        await c.login();
        const load = new WriteLoad(c, world, `pgrestart-${randomBytes(3).toString('hex')}`);
        load.start(2);
        await sleep(800);
        const started = Date.now();
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: 'ignore' });
        const restartedMs = Date.now() - started;
        await until(async () => {
          const h = await c.send('GET', '/api/health');
          return h.ok && h.status === 200;
        }, 30_000, 'health back to ok after the cluster restart');
        await sleep(1_000);
        await load.stop();
        await load.retryUnanswered();
        await load.refreshUnknown();
        const { createDb } = await import('../db/create-db.js');
        const check = createDb(scratch.url, { poolSize: 1 });
        try {
          expect([...load.violations, ...(await load.verifyAgainst(check.db)), ...(await ticketProblems(check.db))]).toEqual([]);
        } finally {
          await check.db.destroy();
        }
        await direct.kill();
        recordFigures('pg-outage-restart', { clusterRestartMs: restartedMs, ...load.stats, acknowledgedLost: 0 });
      }, 180_000);
    }
  });
}

if (!onPostgres) {
  describe('SQLite: the database locked by another process', () => {
    const data = tempDataDir('ql-sqlite-lock-');
    let scratch: ScratchDb;
    let world: World;
    let server: RealServer;
    let agent: Client;

    beforeAll(async () => {
      scratch = await createScratchDb(data.dir);
      world = await seedScratch(data.dir, scratch);
      server = new RealServer({ dataDir: data.dir, databaseUrl: scratch.url });
      await server.start();
      agent = new Client(() => server.base, 'agent_a');
      await agent.login();
    }, 120_000);
    afterAll(async () => {
      await server?.kill();
      await scratch?.drop();
      data.remove();
    });

    it('a write waiting past the busy timeout gets 503 problem+json with Retry-After; the retry then registers once', async () => {
      const path = scratch.url.slice('sqlite:'.length);
      const locker = new Database(path);
      locker.pragma('busy_timeout = 0');
      locker.exec('begin exclusive');
      const key = `locked-${randomBytes(3).toString('hex')}`;
      const body = { type: 'inquiry', severity: 'routine', channel: 'hotline', projectId: world.projectA, description: '锁库期间登记' };
      const started = Date.now();
      // Released after the server's 5 s busy timeout has run out.
      const release = setTimeout(() => locker.exec('rollback'), 6_500);
      const during = await agent.send('POST', '/api/tickets', { headers: { 'idempotency-key': key }, body });
      const waitedMs = Date.now() - started;
      await sleep(Math.max(0, 6_600 - (Date.now() - started)));
      clearTimeout(release);
      if (locker.inTransaction) locker.exec('rollback');
      locker.close();
      expect(problem503(during)).toEqual([]);
      const after = await agent.send('POST', '/api/tickets', { headers: { 'idempotency-key': key }, body });
      expect(after.ok && after.status, after.ok ? after.text : after.error).toBe(201);
      const rows = await scratch.db.selectFrom('tickets').select('id').where('idempotency_key', '=', key).execute();
      expect(rows).toHaveLength(1);
      expect(await integrityProblems(scratch.db)).toEqual([]);
      recordFigures('sqlite-locked', { waitedMs, answer: during.ok ? during.status : 'none', retryAfter: during.ok ? during.headers.get('retry-after') : null });
    }, 60_000);
  });
}
