import { TEST_PASSWORD } from '../world.js';

/** What a real client saw: a response, or nothing (connection refused or cut, timeout). */
export type Outcome =
  | { ok: true; status: number; headers: Headers; body: any; text: string }
  | { ok: false; error: string };

/** A signed-in staff user talking HTTP to a real server (cookie, CSRF header, JSON). */
export class Client {
  cookie: string | null = null;
  constructor(private readonly base: () => string, readonly username: string) {}

  async login(password = TEST_PASSWORD): Promise<void> {
    const res = await this.send('POST', '/api/auth/login', { body: { username: this.username, password } });
    if (!res.ok || res.status !== 200) throw new Error(`login ${this.username} failed: ${res.ok ? `${res.status} ${res.text}` : res.error}`);
    const raw = res.headers.get('set-cookie') ?? '';
    this.cookie = raw.split(';')[0] ?? null;
  }

  async send(method: string, path: string, opts: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Outcome> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET') headers['x-requested-with'] = 'XMLHttpRequest';
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await fetch(`${this.base()}${path}`, {
        method, headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      return { ok: true, status: res.status, headers: res.headers, body, text };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
  }
}

/** True for a 2xx response. */
export const acked = (o: Outcome): boolean => o.ok && o.status >= 200 && o.status < 300;
