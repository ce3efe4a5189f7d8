import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeFilename } from '../platform/files.js';
import { createTestApp, type TestApp } from '../test/app.js';
import { multipart } from '../test/multipart.js';
import { recordFigures } from '../test/reliability/scale.js';

/*
 * Web security as a browser meets it: security headers (CSP without inline scripts,
 * frame-ancestors, nosniff, referrer policy, HSTS behind HTTPS), the session cookie's flags,
 * CSRF refusal, uploads checked by content and served as inert downloads, text never served as
 * HTML, and rate limits answering 429 problem+json with Retry-After.
 */

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

let t: TestApp;
let secure: TestApp;
let agent: string;
let ticketId: string;

beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '5' });
  secure = await createTestApp({ SECURE_COOKIES: 'true' });
  agent = await t.login('agent_a');
  ticketId = (await t.as(agent, { method: 'POST', url: '/api/tickets', payload: { type: 'repair', severity: 'routine', channel: 'hotline', projectId: t.world.projectA, description: '<script>alert(1)</script><img src=x onerror=alert(2)>' } })).json().id;
});
afterAll(async () => {
  await t.close();
  await secure.close();
});

describe('security headers', () => {
  it('CSP without inline scripts, no framing, nosniff, a referrer policy; HSTS only behind HTTPS', async () => {
    for (const url of ['/api/health', `/api/tickets/${ticketId}`, '/api/nope']) {
      const res = await t.as(agent, { method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? /default-src ([^;]+)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc, csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const s = await secure.as(null, { method: 'GET', url: '/api/health' });
    expect(s.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});

describe('the session cookie', () => {
  const setCookie = async (app: TestApp) => {
    const res = await app.as(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'agent_a', password: 'test1234' } });
    return String(res.headers['set-cookie']);
  };
  it('is HttpOnly, SameSite=Lax, for the whole site; Secure when SECURE_COOKIES=true', async () => {
    const plain = await setCookie(t);
    expect(plain).toMatch(/^ql_session=/);
    expect(plain).toMatch(/HttpOnly/i);
    expect(plain).toMatch(/SameSite=Lax/i);
    expect(plain).toMatch(/Path=\//);
    expect(plain).not.toMatch(/Secure/i);
    expect(await setCookie(secure)).toMatch(/;\s*Secure/i);
  });

  it('a cross-site write is refused (CSRF): no X-Requested-With, or another origin', async () => {
    const noHeader = await t.app.inject({ method: 'POST', url: '/api/tickets', headers: { cookie: agent, 'content-type': 'application/json' }, payload: '{}' });
    expect(noHeader.statusCode).toBe(403);
    const foreign = await t.as(agent, { method: 'POST', url: '/api/tickets', headers: { origin: 'https://evil.example' }, payload: {} });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('request.csrf');
  });
});

describe('uploads', () => {
  const upload = (name: string, content: Buffer, type: string) => {
    const m = multipart(name, content, type);
    return t.as(agent, { method: 'POST', url: `/api/tickets/${ticketId}/attachments`, headers: m.headers, payload: m.payload });
  };

  it('are accepted by their content, not their name or declared type: HTML, SVG, scripts and disguised files are refused', async () => {
    const refused = [
      ['page.html', Buffer.from('<html><script>alert(1)</script></html>'), 'text/html'],
      ['image.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml'],
      ['photo.png', Buffer.from('<script>alert(1)</script>'), 'image/png'],
      ['run.js', Buffer.from('alert(1)'), 'application/javascript'],
      ['photo.png.html', PNG, 'text/html'],
    ] as const;
    for (const [name, content, type] of refused) {
      const res = await upload(name, content, type);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(415);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await upload('photo.png', PNG, 'text/html')).statusCode).toBe(201);
  });

  it('are served as downloads with their checked type, nosniff and a sandboxing CSP: never rendered or run', async () => {
    const up = await upload('现场 <x>照片.png', PNG, 'image/png');
    expect(up.statusCode, up.body).toBe(201);
    const res = await t.as(agent, { method: 'GET', url: `/api/attachments/${up.json().id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
    expect(String(res.headers['content-disposition'])).not.toMatch(/<x>/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toMatch(/sandbox/);
    expect(res.rawPayload.equals(PNG)).toBe(true);
  });
});

describe('text is data, never markup', () => {
  it('a description with HTML comes back as JSON text, byte for byte', async () => {
    const res = await t.as(agent, { method: 'GET', url: `/api/tickets/${ticketId}` });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().description).toBe('<script>alert(1)</script><img src=x onerror=alert(2)>');
  });
});

describe('rate limits', () => {
  it('login: 429 problem+json with Retry-After past the per-IP limit', async () => {
    let limited = null;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await t.as(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong-password' } });
      if (res.statusCode === 429) limited = res;
    }
    expect(limited).not.toBeNull();
    expect(limited!.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('public survey form: 429 problem+json with Retry-After past the per-IP limit', async () => {
    let limited = null;
    let n = 0;
    for (; n < 200 && !limited; n++) {
      const res = await t.as(null, { method: 'GET', url: `/api/public/surveys/${'a'.repeat(32)}` });
      if (res.statusCode === 429) limited = res;
    }
    expect(limited).not.toBeNull();
    expect(limited!.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    recordFigures('rate-limits', { publicSurveyRequestsBefore429: n });
  });
});

describe('security finding 11: caching, HTTPS, file names', () => {
  it('every API response says Cache-Control: no-store (personal data must not sit in a browser or proxy cache)', async () => {
    const up = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticketId}/attachments`, ...multipart('no-store.png', PNG, 'image/png') });
    const responses = [
      await t.as(null, { method: 'GET', url: '/api/health' }),
      await t.as(null, { method: 'GET', url: '/api/auth/me' }),
      await t.as(agent, { method: 'GET', url: '/api/auth/me' }),
      await t.as(agent, { method: 'GET', url: `/api/tickets/${ticketId}` }),
      await t.as(agent, { method: 'GET', url: '/api/customers' }),
      await t.as(agent, { method: 'GET', url: '/api/nope' }),
      await t.as(agent, { method: 'GET', url: `/api/attachments/${up.json().id}` }),
      await t.as(null, { method: 'POST', url: '/api/auth/login', remoteAddress: '10.20.0.1', payload: { username: 'agent_b', password: 'test1234' } }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 401, 200, 200, 200, 404, 200, 200]);
    for (const res of responses) expect(res.headers['cache-control'], `${res.statusCode} ${res.body.slice(0, 80)}`).toBe('no-store');
  });

  it('HSTS and a Secure session cookie whenever PUBLIC_URL is https', async () => {
    const https = await createTestApp({ PUBLIC_URL: 'https://kf.example.com' });
    try {
      const res = await https.as(null, { method: 'POST', url: '/api/auth/login', payload: { username: 'agent_a', password: 'test1234' } });
      expect(String(res.headers['set-cookie'])).toMatch(/;\s*Secure/i);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await https.close();
    }
  });

  it('bidirectional control characters (right-to-left override and the like) are removed from uploaded file names', async () => {
    // "invoice<RLO>gnp.exe" shows as "invoiceexe.png" in a file list.
    for (const ch of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C']) {
      expect(safeFilename(`report${ch}gnp.exe.png`), `U+${ch.charCodeAt(0).toString(16)}`).toBe('reportgnp.exe.png');
    }
    const up = await t.as(agent, { method: 'POST', url: `/api/tickets/${ticketId}/attachments`, ...multipart('现场\u202Egnp.exe.png', PNG, 'image/png') });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().filename).toBe('现场gnp.exe.png');
    const dl = await t.as(agent, { method: 'GET', url: `/api/attachments/${up.json().id}` });
    expect(dl.statusCode).toBe(200);
    expect(decodeURIComponent(String(dl.headers['content-disposition']))).toContain('现场gnp.exe.png');
    expect(decodeURIComponent(String(dl.headers['content-disposition']))).not.toMatch(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
  });
});
