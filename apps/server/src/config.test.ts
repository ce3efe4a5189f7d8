import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicLink } from './config.js';
import { createDb } from './db/create-db.js';
import { sql } from 'kysely';
import { tempDir } from './test/temp-dir.js';

const dir = () => tempDir('ql-cfg-');

describe('configuration', () => {
  it('has working defaults: port 3000, SQLite in the data directory, demo password demo1234', () => {
    const d = dir();
    const c = loadConfig({ DATA_DIR: d });
    expect(c).toMatchObject({ port: 3000, dialect: 'sqlite', sqlitePath: join(d, 'qiaoliang.db'), demoPassword: 'demo1234', seedDemo: true, timeZone: 'Asia/Shanghai', sessionIdleMinutes: 30, sessionAbsoluteHours: 12 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('generates the field key and session secret into the data directory once, mode 0600', () => {
    const d = dir();
    const a = loadConfig({ DATA_DIR: d });
    const b = loadConfig({ DATA_DIR: d });
    expect(a.fieldKey.equals(b.fieldKey)).toBe(true);
    expect(a.fieldKey.equals(a.sessionSecret)).toBe(false);
    for (const f of ['field-encryption.key', 'session-secret.key']) {
      expect(statSync(join(d, f)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(d, f), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('makes links absolute with PUBLIC_URL (default http://localhost:PORT) and refuses what is not an http(s) address', () => {
    expect(loadConfig({ DATA_DIR: dir(), PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    const c = loadConfig({ DATA_DIR: dir(), PUBLIC_URL: 'https://kf.example.com/qiaoliang/' });
    expect(c.publicUrl).toBe('https://kf.example.com/qiaoliang');
    expect(publicLink(c, '/s/abc')).toBe('https://kf.example.com/qiaoliang/s/abc');
    expect(publicLink(c, 'https://elsewhere.example/x')).toBe('https://elsewhere.example/x');
    for (const bad of ['kf.example.com', 'ftp://kf.example.com', 'https://kf.example.com/?a=1', 'https://u:p@kf.example.com']) {
      expect(() => loadConfig({ DATA_DIR: dir(), PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });

  it('turns on Secure cookies (and so HSTS) whenever PUBLIC_URL is https, and refuses SECURE_COOKIES=false with it (security finding 11)', () => {
    expect(loadConfig({ DATA_DIR: dir() }).secureCookies).toBe(false);
    expect(loadConfig({ DATA_DIR: dir(), PUBLIC_URL: 'https://kf.example.com' }).secureCookies).toBe(true);
    expect(loadConfig({ DATA_DIR: dir(), PUBLIC_URL: 'http://10.0.0.5:3000', SECURE_COOKIES: 'true' }).secureCookies).toBe(true);
    expect(() => loadConfig({ DATA_DIR: dir(), PUBLIC_URL: 'https://kf.example.com', SECURE_COOKIES: 'false' })).toThrow(/SECURE_COOKIES/);
  });

  it('resolves a relative DATA_DIR against the folder npm was started from (INIT_CWD), so every command finds the same database', () => {
    const root = dir();
    const c = loadConfig({ DATA_DIR: 'data', INIT_CWD: root });
    expect(c.dataDir).toBe(join(root, 'data'));
    expect(c.sqlitePath).toBe(join(root, 'data', 'qiaoliang.db'));
  });

  it('logs readable lines in development and JSON in production unless LOG_FORMAT says otherwise', () => {
    expect(loadConfig({ DATA_DIR: dir() }).logFormat).toBe('pretty');
    expect(loadConfig({ DATA_DIR: dir(), NODE_ENV: 'production', SEED_DEMO: 'false' }).logFormat).toBe('json');
    expect(loadConfig({ DATA_DIR: dir(), LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ DATA_DIR: dir(), LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT must be json or pretty/);
  });

  it('reads PostgreSQL from DATABASE_URL', () => {
    expect(loadConfig({ DATA_DIR: dir(), DATABASE_URL: 'postgres://u@h:5432/db' }).dialect).toBe('postgres');
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      loadConfig({ DATA_DIR: dir(), PORT: 'abc', DATABASE_URL: 'mysql://x', DEMO_PASSWORD: 'short', SEED_DEMO: 'maybe', TZ_BUSINESS: 'Mars/Base', SESSION_IDLE_MINUTES: '0' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'DEMO_PASSWORD', 'SEED_DEMO', 'TZ_BUSINESS', 'SESSION_IDLE_MINUTES']) expect(problems).toContain(name);
  });

  it('refuses a field key of the wrong length', () => {
    expect(() => loadConfig({ DATA_DIR: dir(), FIELD_ENCRYPTION_KEY: 'abcd' })).toThrow(/FIELD_ENCRYPTION_KEY/);
  });
});

describe('SQLite durability settings', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout', async () => {
    const { db } = createDb(`sqlite:${join(dir(), 'x.db')}`);
    try {
      const get = async (p: string) => Object.values((await sql.raw(`pragma ${p}`).execute(db)).rows[0] as object)[0];
      expect(await get('journal_mode')).toBe('wal');
      expect(await get('synchronous')).toBe(2);
      expect(await get('foreign_keys')).toBe(1);
      expect(await get('busy_timeout')).toBe(5000);
    } finally {
      await db.destroy();
    }
  });
});

describe('CTI secret', () => {
  it('is generated once into the data directory (64 hex characters, mode 0600) when CTI_SECRET is unset', () => {
    const d = dir();
    const a = loadConfig({ DATA_DIR: d });
    expect(a.ctiSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({ DATA_DIR: d }).ctiSecret).toBe(a.ctiSecret);
    expect(statSync(join(d, 'cti-secret.key')).mode & 0o777).toBe(0o600);
  });

  it('is taken as text from CTI_SECRET, which must be long enough and without spaces', () => {
    expect(loadConfig({ DATA_DIR: dir(), CTI_SECRET: 'pbx-shared-secret-of-at-least-32-chars' }).ctiSecret).toBe('pbx-shared-secret-of-at-least-32-chars');
    expect(() => loadConfig({ DATA_DIR: dir(), CTI_SECRET: 'short' })).toThrow(/CTI_SECRET/);
    expect(() => loadConfig({ DATA_DIR: dir(), CTI_SECRET: 'a secret with spaces that is long enough' })).toThrow(/CTI_SECRET/);
    // Reported together with the other problems.
    expect(() => loadConfig({ DATA_DIR: dir(), PORT: 'x', CTI_SECRET: 'short' })).toThrow(/PORT[\s\S]*CTI_SECRET|CTI_SECRET[\s\S]*PORT/);
  });

  it('loads no demo data in production, and refuses SEED_DEMO=true there (security finding 2)', () => {
    expect(loadConfig({ DATA_DIR: dir(), NODE_ENV: 'production' })).toMatchObject({ seedDemo: false, production: true });
    expect(() => loadConfig({ DATA_DIR: dir(), NODE_ENV: 'production', SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/);
    expect(loadConfig({ DATA_DIR: dir() })).toMatchObject({ seedDemo: true, production: false });
  });
});
