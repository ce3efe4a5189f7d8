import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { operationsOf } from '../../test/reliability/openapi.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('API documentation and health', () => {
  it('serves a valid OpenAPI 3 document listing the routes', async () => {
    const res = await t.as(null, { method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/projects', '/api/projects/{id}/units/import', '/api/audit']));
  });

  it('serves the docs UI', async () => {
    const res = await t.as(null, { method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('reports database reachability without a session', async () => {
    const res = await t.as(null, { method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', dialect: t.tdb.dialect });
  });

  it('sends security headers', async () => {
    const res = await t.as(null, { method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });
});

describe('the error side of the contract (security finding 9)', () => {
  const problemRef = (r: any) => r?.content?.['application/problem+json']?.schema?.$ref;

  it('every operation documents its error answers as problem+json with the one shared Problem schema', async () => {
    const doc = (await t.as(null, { method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'code']);
    const missing: string[] = [];
    for (const o of operationsOf(doc)) {
      const where = `${o.method} ${o.path}`;
      const responses = (o.op as any).responses as Record<string, any>;
      const public_ = Array.isArray(o.op.security) && o.op.security.length === 0;
      const expected = ['400', '503', ...(public_ ? [] : ['401', '403', '404']), ...(o.method === 'GET' ? [] : ['409', '413', '415'])];
      for (const status of expected) {
        if (!responses[status]) missing.push(`${where} ${status}`);
        // A route may document a body of its own for a status (the health check's 503 report).
        else if (problemRef(responses[status]) !== '#/components/schemas/Problem' && !responses[status].content?.['application/json']) missing.push(`${where} ${status} not Problem`);
      }
      const ifMatch = (o.op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'if-match');
      if (ifMatch && (!responses['412'] || !responses['428'])) missing.push(`${where} If-Match without 412/428`);
      if (responses['428'] && !ifMatch) missing.push(`${where} 428 without the If-Match header`);
    }
    expect(missing).toEqual([]);
    // The login answers a wrong password with 401 and a throttled one with 429 + Retry-After.
    const login = doc.paths['/api/auth/login'].post.responses;
    expect(Object.keys(login)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '429']));
    expect(login['429'].headers['Retry-After']).toBeDefined();
  });

  it('documents If-Match on updates, Idempotency-Key where accepted, and multipart bodies on uploads', async () => {
    const doc = (await t.as(null, { method: 'GET', url: '/api/openapi.json' })).json();
    const header = (path: string, method: string, name: string) => (doc.paths[path][method].parameters ?? []).find((p: any) => p.in === 'header' && p.name === name);
    for (const [path, method] of [['/api/users/{id}', 'patch'], ['/api/projects/{id}', 'patch'], ['/api/customers/{id}', 'patch'], ['/api/tickets/{id}/dispatch', 'post'], ['/api/surveys/{id}/send', 'post'], ['/api/settings/privacy', 'put']] as const) {
      expect(header(path, method, 'if-match'), `${method} ${path}`).toMatchObject({ required: true });
    }
    expect(header('/api/tickets', 'post', 'idempotency-key')).toBeDefined();
    for (const path of ['/api/tickets/{id}/attachments', '/api/work-orders/{id}/attachments', '/api/projects/{id}/units/import', '/api/projects/{id}/customers/import', '/api/projects/{id}/tickets/import']) {
      const body = doc.paths[path].post.requestBody;
      expect(body?.content?.['multipart/form-data']?.schema?.properties?.file, path).toMatchObject({ type: 'string', format: 'binary' });
    }
  });
});
