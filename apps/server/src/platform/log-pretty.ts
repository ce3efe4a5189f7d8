/**
 * A readable rendering of pino's JSON lines for development (LOG_FORMAT=pretty): one line per
 * entry, "16:20:01.123 INFO  GET /api/tickets 200 12ms  reqId=req-1". Written here rather than
 * taken from pino-pretty so production installs carry no extra dependency and the format stays
 * ours. Production keeps JSON (LOG_FORMAT=json) for log shippers.
 */

const LEVELS: Record<number, { name: string; colour: string }> = {
  10: { name: 'TRACE', colour: '90' },
  20: { name: 'DEBUG', colour: '36' },
  30: { name: 'INFO ', colour: '32' },
  40: { name: 'WARN ', colour: '33' },
  50: { name: 'ERROR', colour: '31' },
  60: { name: 'FATAL', colour: '35' },
};

/** Keys rendered in the head of the line or never shown (pino's own bookkeeping). */
const SKIPPED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'req', 'res', 'responseTime', 'err', 'v']);

export interface LineSink {
  write(text: string): unknown;
}

export interface PrettyOptions {
  colour: boolean;
  /** Formats an epoch-millisecond time; the server's local clock time by default. */
  formatTime?: (ms: number) => string;
}

function localTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

/** Renders one pino JSON line; a line that is not JSON is returned unchanged. */
export function prettyLine(line: string, options: PrettyOptions): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  if (entry === null || typeof entry !== 'object') return `${line.trimEnd()}\n`;
  const paint = (code: string, text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level).padEnd(5), colour: '0' };
  const time = typeof entry.time === 'number' ? (options.formatTime ?? localTime)(entry.time) : '';
  const head: string[] = [paint('90', time), paint(level.colour, level.name)];

  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  if (req?.method) head.push(`${req.method} ${req.url ?? ''}`);
  if (res?.statusCode !== undefined) {
    const code = res.statusCode;
    head.push(paint(code >= 500 ? '31' : code >= 400 ? '33' : '32', String(code)));
  }
  if (typeof entry.responseTime === 'number') head.push(`${Math.round(entry.responseTime * 10) / 10}ms`);
  if (typeof entry.msg === 'string' && entry.msg) head.push(entry.msg);

  const extras = Object.entries(entry)
    .filter(([key]) => !SKIPPED.has(key))
    .map(([key, value]) => paint('90', `${key}=`) + scalar(value));
  let out = head.filter(Boolean).join(' ');
  if (extras.length) out += `  ${extras.join(' ')}`;

  const err = entry.err as { stack?: string; message?: string } | undefined;
  if (err) out += `\n${(err.stack ?? err.message ?? JSON.stringify(err)).replace(/^/gm, '    ')}`;
  return `${out}\n`;
}

/** A destination for pino that writes each entry readably to `out`. */
export function prettyLogStream(out: LineSink & { isTTY?: boolean }, colour = Boolean(out.isTTY)): LineSink {
  return {
    write(chunk: string) {
      // pino writes one entry per call, each ending in a newline.
      for (const line of chunk.split('\n')) if (line) out.write(prettyLine(line, { colour }));
    },
  };
}
