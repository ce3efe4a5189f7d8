/**
 * Drives load with autocannon (pipelining 1) and records every response's latency itself, so
 * that several autocannon instances (two server processes, or a flood of writers beside
 * readers) merge into exact percentiles.
 */
import autocannon from 'autocannon';

export interface Target {
  /** Base URLs (one per server process); connections are split evenly among them. */
  urls: string[];
  connections: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Called for every request: the path (and body) to send. */
  next: () => { path: string; body?: string };
}

export interface Stats {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  ok: number;
  /** Non-2xx answers by status, plus transport errors and timeouts. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  durationS: number;
}

/**
 * One request at a time, `samples` times (bounded by `maxSeconds`): for reports that take
 * seconds, where a fixed-duration run would end before the first answer.
 */
export async function sequential(url: string, headers: Record<string, string>, next: () => { path: string }, samples: number, maxSeconds: number): Promise<Stats> {
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const t0 = performance.now();
  for (let i = 0; i < samples && performance.now() - t0 < maxSeconds * 1000; i++) {
    const s = performance.now();
    try {
      const res = await fetch(`${url}${next().path}`, { headers, signal: AbortSignal.timeout(120_000) });
      await res.arrayBuffer();
      lat.push(performance.now() - s);
      if (res.status < 200 || res.status >= 300) statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    } catch {
      errors++;
    }
  }
  return summarize(lat, statuses, errors, 0, (performance.now() - t0) / 1000, Infinity);
}

function summarize(lat: number[], statuses: Record<string, number>, errors: number, timeouts: number, durationS: number, seconds: number): Stats {
  const sorted = Float64Array.from(lat).sort();
  const bad = Object.values(statuses).reduce((a, b) => a + b, 0);
  const round = (x: number) => Math.round(x * 100) / 100;
  const d = Math.min(durationS, seconds);
  return {
    requests: lat.length, rps: round(lat.length / d), p50: round(pct(sorted, 50)), p95: round(pct(sorted, 95)), p99: round(pct(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1]! : 0), mean: round(lat.reduce((a, b) => a + b, 0) / Math.max(1, lat.length)), ok: lat.length - bad,
    statuses, errors, timeouts, durationS: round(d),
  };
}

const pct = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);

/** Runs the targets together for `seconds` (bounded: autocannon stops by itself) and returns one Stats per target. */
export async function run(targets: Target[], seconds: number, timeoutS = 10): Promise<Stats[]> {
  const started = process.hrtime.bigint();
  const perTarget = await Promise.all(targets.map(async (t) => {
    const lat: number[] = [];
    const statuses: Record<string, number> = {};
    let errors = 0;
    let timeouts = 0;
    const share = t.urls.map((_, i) => Math.floor(t.connections / t.urls.length) + (i < t.connections % t.urls.length ? 1 : 0));
    await Promise.all(t.urls.map((url, i) => new Promise<void>((resolve, reject) => {
      if (!share[i]) return resolve();
      const inst = autocannon({
        url, connections: share[i], pipelining: 1, duration: seconds, timeout: timeoutS,
        requests: [{
          method: t.method ?? 'GET', headers: { ...(t.headers ?? {}), ...(t.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
          setupRequest: (req: Record<string, unknown>) => {
            const n = t.next();
            return { ...req, path: n.path, ...(n.body !== undefined ? { body: n.body } : {}) };
          },
        }],
      } as never, (err: Error | null, res: { errors: number; timeouts: number }) => {
        if (err) return reject(err);
        errors += res.errors - res.timeouts;
        timeouts += res.timeouts;
        resolve();
      });
      inst.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        lat.push(responseTime);
        if (statusCode < 200 || statusCode >= 300) statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      });
    })));
    return { lat, statuses, errors, timeouts };
  }));
  const durationS = Number(process.hrtime.bigint() - started) / 1e9;
  return perTarget.map(({ lat, statuses, errors, timeouts }) => summarize(lat, statuses, errors, timeouts, durationS, seconds));
}
