import type { Kysely } from 'kysely';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { createDb, type Dialect } from './db/create-db.js';
import type { DB } from './db/schema.js';
import { systemClock, type Clock } from './platform/clock.js';
import { uuidV7Ids, type Ids } from './platform/ids.js';
import { prettyLogStream } from './platform/log-pretty.js';
import { createNotifier, type Notifier } from './platform/notify.js';

/** Everything the app needs from outside, passed explicitly (no globals). */
export interface Deps {
  config: Config;
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  ids: Ids;
  log: Logger;
  notifier: Notifier;
}

/** Paths pino must never print: personal data and secrets. */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.phone',
  '*.idNumber',
];

/** The process's logger: JSON lines, or readable lines in development (LOG_FORMAT). */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): Logger {
  const options = { level: config.logLevel, redact: LOG_REDACT };
  return config.logFormat === 'pretty' ? pino(options, prettyLogStream(process.stdout)) : pino(options);
}

/** Builds production dependencies from the configuration. */
export function createDeps(config: Config, overrides: Partial<Deps> = {}): Deps {
  const { db, dialect } = createDb(config.databaseUrl);
  const clock = overrides.clock ?? systemClock;
  const log = overrides.log ?? createLogger(config);
  return {
    config,
    db,
    dialect,
    clock,
    ids: uuidV7Ids(clock),
    log,
    notifier: createNotifier(config, log),
    ...overrides,
  };
}
