import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** The validated, frozen configuration. The only reader of process.env. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** `sqlite:<path>` or `postgres://…`. */
  readonly databaseUrl: string;
  readonly dialect: 'sqlite' | 'postgres';
  readonly sqlitePath: string | null;
  readonly demoPassword: string;
  readonly seedDemo: boolean;
  /** NODE_ENV=production: no demo data, API docs behind login. */
  readonly production: boolean;
  readonly runJobs: boolean;
  readonly timeZone: string;
  /** Session cookie Secure and HSTS sent: on whenever PUBLIC_URL is https (SECURE_COOKIES=true forces it otherwise). */
  readonly secureCookies: boolean;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  readonly loginRateLimitPerMinute: number;
  readonly fieldKey: Buffer;
  readonly sessionSecret: Buffer;
  /** HMAC-SHA256 key shared with the telephony system (CTI): the UTF-8 bytes of this text. */
  readonly ctiSecret: string;
  readonly smtpUrl: string | null;
  /** Where people outside reach the server (no trailing slash): links in SMS and e-mail. */
  readonly publicUrl: string;
  readonly mailFrom: string;
  readonly logLevel: string;
  /** json: one JSON line per entry (production, log shippers); pretty: a readable line (development). */
  readonly logFormat: 'json' | 'pretty';
  readonly adminDistDir: string | null;
  readonly trustProxy: boolean;
  readonly bodyLimitBytes: number;
  /** API requests in progress above which new ones get 503 + Retry-After at once. */
  readonly maxInFlight: number;
  /** Event-loop delay (ms) above which new API requests get 503 + Retry-After for a second. */
  readonly maxEventLoopDelayMs: number;
  /** An export revealing clear phones for more rows than this waits for a manager's approval. */
  readonly exportApprovalRows: number;
  /** Hours a finished export file is kept before the cleanup job deletes it. */
  readonly exportFileTtlHours: number;
  /** Reports over a group's history run in a worker thread (REPORT_WORKER, default on; off for in-memory SQLite). */
  readonly reportWorker: boolean;
  /** A call still ringing or answered this long after it started lost its end event: it is closed as timed out. */
  readonly callTimeoutMinutes: number;
  /** SMS provider: `dev` (a sink shown to admins, the default) or `aliyun` (阿里云短信服务 SendSms). */
  readonly sms: SmsConfig;
}

export interface SmsConfig {
  readonly provider: 'dev' | 'aliyun';
  readonly accessKeyId: string | null;
  readonly accessKeySecret: string | null;
  /** The approved signature (签名), e.g. 桥梁客服. */
  readonly signName: string | null;
  /** Template of the sign-in code; one variable ${code}. */
  readonly loginTemplate: string | null;
  /** Template of notices (the center replied or resolved); one variable ${content}. */
  readonly noticeTemplate: string | null;
  readonly endpoint: string;
}

function smsConfig(env: Env, problems: string[]): SmsConfig {
  const provider = (env.SMS_PROVIDER || 'dev') as SmsConfig['provider'];
  if (provider !== 'dev' && provider !== 'aliyun') problems.push(`SMS_PROVIDER must be dev or aliyun (got "${provider}")`);
  const cfg: SmsConfig = {
    provider,
    accessKeyId: env.SMS_ACCESS_KEY_ID || null,
    accessKeySecret: env.SMS_ACCESS_KEY_SECRET || null,
    signName: env.SMS_SIGN_NAME || null,
    loginTemplate: env.SMS_TEMPLATE_LOGIN || null,
    noticeTemplate: env.SMS_TEMPLATE_NOTICE || null,
    endpoint: env.SMS_ENDPOINT || 'https://dysmsapi.aliyuncs.com/',
  };
  if (provider === 'aliyun') {
    for (const [name, v] of [['SMS_ACCESS_KEY_ID', cfg.accessKeyId], ['SMS_ACCESS_KEY_SECRET', cfg.accessKeySecret], ['SMS_SIGN_NAME', cfg.signName], ['SMS_TEMPLATE_LOGIN', cfg.loginTemplate], ['SMS_TEMPLATE_NOTICE', cfg.noticeTemplate]] as const) {
      if (!v) problems.push(`${name} is required with SMS_PROVIDER=aliyun`);
    }
  }
  return Object.freeze(cfg);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function intIn(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

function bool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

/**
 * Reads a 32-byte secret from the environment (hex or base64), or from a file in the data
 * directory, generating that file (mode 0600) on first start.
 */
function secret(env: Env, name: string, dataDir: string, file: string, problems: string[]): Buffer {
  const raw = env[name];
  if (raw) {
    const buf = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (buf.length !== 32) problems.push(`${name} must be 32 bytes as 64 hex digits or base64`);
    return buf;
  }
  const path = join(dataDir, file);
  if (existsSync(path)) {
    const buf = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (buf.length !== 32) problems.push(`${path} must hold 64 hex digits`);
    return buf;
  }
  const buf = randomBytes(32);
  writeFileSync(path, buf.toString('hex') + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return buf;
}

/** The file a generated CTI secret is kept in, inside DATA_DIR (the simulator reads it too). */
export const CTI_SECRET_FILE = 'cti-secret.key';
const CTI_SECRET_MIN_CHARS = 32;

/**
 * Reads the text secret shared with the PBX. It stays text (not decoded hex) because PBX
 * webhook settings take a string and use its bytes as the HMAC key; when unset, 64 random hex
 * characters are generated into the data directory (mode 0600) on first start.
 */
function textSecret(env: Env, name: string, dataDir: string, file: string, problems: string[]): string {
  const raw = env[name];
  if (raw) {
    if (raw.length < CTI_SECRET_MIN_CHARS || /\s/.test(raw)) problems.push(`${name} must have at least ${CTI_SECRET_MIN_CHARS} characters and no spaces`);
    return raw;
  }
  const path = join(dataDir, file);
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8').trim();
    if (text.length < CTI_SECRET_MIN_CHARS) problems.push(`${path} must hold at least ${CTI_SECRET_MIN_CHARS} characters`);
    return text;
  }
  const text = randomBytes(32).toString('hex');
  writeFileSync(path, text + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return text;
}

/**
 * The folder a command was started from. npm runs a workspace's scripts (`npm run backup`,
 * `npm run dev`, …) in the workspace's folder and says where the user was in INIT_CWD, so a
 * relative DATA_DIR names the same folder for `npm start` and for every other command.
 */
export const callerCwd = (env: Env = process.env): string => env.INIT_CWD || process.cwd();

/** Builds the configuration from an environment, listing every problem at once. */
export function loadConfig(env: Env = process.env, cwd = callerCwd(env)): Config {
  const problems: string[] = [];
  const port = intIn(env, 'PORT', 3000, 0, 65535, problems);
  const rawDataDir = env.DATA_DIR || './data';
  const dataDir = isAbsolute(rawDataDir) ? rawDataDir : resolve(cwd, rawDataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    problems.push(`DATA_DIR ${dataDir} cannot be created: ${(err as Error).message}`);
  }

  let databaseUrl = env.DATABASE_URL || `sqlite:${join(dataDir, 'qiaoliang.db')}`;
  let dialect: Config['dialect'] = 'sqlite';
  let sqlitePath: string | null = null;
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    dialect = 'postgres';
  } else if (databaseUrl.startsWith('sqlite:')) {
    const p = databaseUrl.slice('sqlite:'.length);
    sqlitePath = p === ':memory:' ? ':memory:' : isAbsolute(p) ? p : resolve(cwd, p);
    databaseUrl = `sqlite:${sqlitePath}`;
  } else {
    problems.push(`DATABASE_URL must start with postgres:// or sqlite: (got "${databaseUrl.split(':')[0]}:…")`);
  }

  // Demo data (with its published passwords) never reaches a production database.
  const production = env.NODE_ENV === 'production';
  const seedDemo = bool(env, 'SEED_DEMO', !production, problems);
  if (production && seedDemo) problems.push('SEED_DEMO cannot be true with NODE_ENV=production (the demo accounts have known passwords); create the first administrator with npm run admin:create');
  const demoPassword = env.DEMO_PASSWORD ?? 'demo1234';
  if (demoPassword.length < 8) problems.push('DEMO_PASSWORD must have at least 8 characters');

  const timeZone = env.TZ_BUSINESS || 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone }).format(0);
  } catch {
    problems.push(`TZ_BUSINESS "${timeZone}" is not a known time zone`);
  }

  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`);
  }

  const logFormat = env.LOG_FORMAT || (production ? 'json' : 'pretty');
  if (logFormat !== 'json' && logFormat !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty (got "${logFormat}")`);

  const smtpUrl = env.SMTP_URL || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps://');
  const publicUrl = parsePublicUrl(env.PUBLIC_URL || `http://localhost:${port}`, problems);
  // Reached over HTTPS: the session cookie is Secure and HSTS is sent (security finding 11).
  const https = publicUrl.startsWith('https:');
  const secureCookies = bool(env, 'SECURE_COOKIES', https, problems);
  if (https && !secureCookies) problems.push('SECURE_COOKIES cannot be false when PUBLIC_URL is https:// (the session cookie would travel over plain HTTP)');

  const config = {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl,
    dialect,
    sqlitePath,
    demoPassword,
    seedDemo,
    production,
    runJobs: bool(env, 'RUN_JOBS', true, problems),
    timeZone,
    secureCookies,
    sessionIdleMinutes: intIn(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60, problems),
    sessionAbsoluteHours: intIn(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30, problems),
    loginRateLimitPerMinute: intIn(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 30, 1, 100000, problems),
    fieldKey: problems.length ? Buffer.alloc(32) : secret(env, 'FIELD_ENCRYPTION_KEY', dataDir, 'field-encryption.key', problems),
    sessionSecret: problems.length ? Buffer.alloc(32) : secret(env, 'SESSION_SECRET', dataDir, 'session-secret.key', problems),
    // A CTI_SECRET given in the environment is checked even when other settings are wrong.
    ctiSecret: problems.length && !env.CTI_SECRET ? '' : textSecret(env, 'CTI_SECRET', dataDir, CTI_SECRET_FILE, problems),
    smtpUrl,
    publicUrl,
    mailFrom: env.MAIL_FROM || 'qiaoliang@localhost',
    logLevel,
    logFormat: logFormat === 'json' ? 'json' : 'pretty',
    adminDistDir: env.ADMIN_DIST_DIR === '' ? null : env.ADMIN_DIST_DIR ?? null,
    trustProxy: bool(env, 'TRUST_PROXY', false, problems),
    bodyLimitBytes: intIn(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024, problems),
    maxInFlight: intIn(env, 'MAX_IN_FLIGHT', 256, 1, 100_000, problems),
    maxEventLoopDelayMs: intIn(env, 'MAX_EVENT_LOOP_DELAY_MS', 1000, 10, 600_000, problems),
    exportApprovalRows: intIn(env, 'EXPORT_APPROVAL_ROWS', 500, 0, 1_000_000, problems),
    exportFileTtlHours: intIn(env, 'EXPORT_FILE_TTL_HOURS', 24, 1, 24 * 30, problems),
    // An in-memory database cannot be opened by a second thread.
    reportWorker: bool(env, 'REPORT_WORKER', true, problems) && sqlitePath !== ':memory:',
    callTimeoutMinutes: intIn(env, 'CALL_TIMEOUT_MINUTES', 240, 5, 24 * 60, problems),
    sms: smsConfig(env, problems),
  } satisfies Config;
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** An http(s) origin, optionally with a path prefix; no query or fragment; no trailing slash. */
function parsePublicUrl(raw: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`PUBLIC_URL must be an http:// or https:// address (got "${raw}")`);
    return raw;
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username) {
    problems.push(`PUBLIC_URL must be an http:// or https:// address without query, fragment or credentials (got "${raw}")`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A link of ours (a path such as /s/<token>) as people outside open it. */
export function publicLink(config: Pick<Config, 'publicUrl'>, link: string): string {
  return link.startsWith('/') ? `${config.publicUrl}${link}` : link;
}
