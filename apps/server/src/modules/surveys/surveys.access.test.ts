import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessMatrix, mentions } from '../../test/access-matrix.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { insertSurvey, SURVEY_QUESTIONS } from '../../test/surveys-fixture.js';
import type { World } from '../../test/world.js';

const STAFF = ['supervisor', 'manager', 'admin'] as const;
const pick = <T>(where: 'in' | 'out', a: T, b: T) => (where === 'in' ? a : b);
const projectOf = (w: World, where: 'in' | 'out') => pick(where, w.projectA, w.projectB);

/** The survey each call acts on: made fresh before every call (a send or a delete uses it up). */
const current = { in: '', out: '' };
const prepare = (status: 'draft' | 'sent') => async (t: TestApp, where: 'in' | 'out') => {
  current[where] = (await insertSurvey(t, projectOf(t.world, where), status)).id;
};
const sUrl = (suffix: string) => (_w: World, where: 'in' | 'out') => `/api/surveys/${current[where]}${suffix}`;
const version = async () => 1;

accessMatrix('surveys', [
  {
    method: 'GET', path: '/api/surveys', url: () => '/api/surveys?pageSize=200', allowed: STAFF, leaks: (r, w) => mentions(r, w.projectB),
    // Surveys in both projects, so that a list showing project B's would be caught.
    prepare: async (t) => {
      await insertSurvey(t, t.world.projectA, 'sent');
      await insertSurvey(t, t.world.projectB, 'sent');
    },
  },
  {
    method: 'POST', path: '/api/surveys', url: () => '/api/surveys', allowed: STAFF,
    body: (w, where, n) => ({ projectId: projectOf(w, where), title: `调查 ${n}`, questions: SURVEY_QUESTIONS }),
  },
  {
    method: 'POST', path: '/api/surveys/segment-preview', url: () => '/api/surveys/segment-preview', allowed: STAFF,
    body: (w, where) => ({ projectId: projectOf(w, where), segment: {} }),
  },
  { method: 'GET', path: '/api/surveys/:id', url: sUrl(''), allowed: STAFF, prepare: prepare('draft') },
  { method: 'PATCH', path: '/api/surveys/:id', url: sUrl(''), allowed: STAFF, prepare: prepare('draft'), version, body: (_w, _where, n) => ({ title: `改名 ${n}` }) },
  { method: 'DELETE', path: '/api/surveys/:id', url: sUrl(''), allowed: STAFF, prepare: prepare('draft'), version },
  { method: 'POST', path: '/api/surveys/:id/send', url: sUrl('/send'), allowed: STAFF, prepare: prepare('draft'), version, body: () => ({ channel: 'sms' }) },
  { method: 'POST', path: '/api/surveys/:id/close', url: sUrl('/close'), allowed: STAFF, prepare: prepare('sent'), version },
  { method: 'GET', path: '/api/surveys/:id/results', url: sUrl('/results'), allowed: STAFF, prepare: prepare('sent') },
  { method: 'POST', path: '/api/surveys/:id/results/exports', url: sUrl('/results/exports'), allowed: STAFF, prepare: prepare('sent') },
  { method: 'GET', path: '/api/surveys/:id/responses', url: sUrl('/responses'), allowed: STAFF, prepare: prepare('sent') },
]);

/** The respondents' endpoints: no session needed, the link's token is the credential. */
describe('access: public survey form', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('opens and answers with a valid token and no session; an unknown token is 404, signed in or not', async () => {
    const { token } = await insertSurvey(t, t.world.projectA, 'sent');
    const get = await t.as(null, { method: 'GET', url: `/api/public/surveys/${token}` });
    expect(get.statusCode, get.body).toBe(200);
    expect(get.body).not.toContain(t.world.customerA);
    expect(get.body).not.toContain('甲业主');
    const post = await t.as(null, { method: 'POST', url: `/api/public/surveys/${token}/responses`, payload: { answers: { q1: '满意', q3: 5 } } });
    expect(post.statusCode, post.body).toBe(201);

    const agent = await t.login('agent_b');
    for (const cookie of [null, agent]) {
      expect((await t.as(cookie, { method: 'GET', url: '/api/public/surveys/unknown-token' })).statusCode).toBe(404);
      expect((await t.as(cookie, { method: 'POST', url: '/api/public/surveys/unknown-token/responses', payload: { answers: {} } })).statusCode).toBe(404);
    }
  });

  it('a draft has no link; the form still needs the CSRF header like every write', async () => {
    const { id } = await insertSurvey(t, t.world.projectA, 'draft');
    expect((await t.as(null, { method: 'GET', url: `/api/public/surveys/${id}` })).statusCode).toBe(404);
    const { token } = await insertSurvey(t, t.world.projectA, 'sent');
    const noHeader = await t.app.inject({ method: 'POST', url: `/api/public/surveys/${token}/responses`, payload: { answers: { q1: '满意', q3: 5 } } });
    expect(noHeader.statusCode).toBe(403);
  });
});
