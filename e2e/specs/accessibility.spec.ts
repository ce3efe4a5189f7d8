import { request, type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, formatViolations } from '../harness/axe.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Accessibility (issue 18): axe-core (WCAG 2.1 AA) on every main page, as the role that
 * works there; a serious or critical violation fails the test and is listed with its elements.
 */
const JOURNEY = 'accessibility';
let server: RunningServer | null = null;
let baseUrl = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshotter(JOURNEY);
const ids = { ticket: '', customer: '', workOrder: '' };

async function apiAs(username: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { 'X-Requested-With': 'XMLHttpRequest' } });
  const res = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return api;
}

/** Signs in as `username` in a fresh profile, visits each page and runs axe on it. */
async function audit(username: string, pages: { path: string; name: string; ready: (p: Page) => Promise<unknown> }[]): Promise<string[]> {
  await context?.close();
  context = await newContext(browser, baseUrl);
  page = await context.newPage();
  await signIn(page, username, DEMO_PASSWORD);
  const found: string[] = [];
  for (const p of pages) {
    await page.goto(p.path);
    await p.ready(page);
    await shot(page, `${username}-${p.name}`);
    const v = await axeViolations(page);
    if (v.length) found.push(formatViolations(`${username} ${p.path}`, v));
  }
  return found;
}

const heading = (name: string | RegExp) => (p: Page) => p.getByRole('heading', { name }).first().waitFor();
const table = (p: Page) => p.locator('.ant-table-row').first().waitFor();

describe('accessibility of the main pages', () => {
  beforeAll(async () => {
    baseUrl = process.env.E2E_BASE_URL ?? (server = await startServer()).baseUrl;
    const agent = await apiAs('agent');
    ids.customer = ((await (await agent.get('/api/customers', { params: { page: 1, pageSize: 1 } })).json()).items as { id: string }[])[0]!.id;
    // A ticket dispatched to the handler's department (深圳工程部), so both pages have content.
    const projects = (await (await agent.get('/api/projects')).json()).items as { id: string; name: string }[];
    const projectId = projects.find((p) => p.name === '观澜府')!.id;
    const t = await (await agent.post('/api/tickets', { data: { type: 'repair', severity: 'routine', channel: 'hotline', projectId, description: '楼道灯不亮，请派人维修' } })).json();
    const dept = ((await (await agent.get('/api/departments', { params: { projectId } })).json()) as { id: string; name: string }[]).find((d) => d.name === '深圳工程部')!;
    const dispatched = await agent.post(`/api/tickets/${t.id}/dispatch`, {
      headers: { 'If-Match': `"${t.version}"` },
      data: { departmentId: dept.id, instructions: '请上门维修', dueAt: new Date(Date.now() + 24 * 3600_000).toISOString() },
    });
    if (!dispatched.ok()) throw new Error(`dispatch: ${dispatched.status()} ${await dispatched.text()}`);
    ids.ticket = t.id;
    ids.workOrder = ((await dispatched.json()).workOrders as { id: string }[])[0]!.id;
    await agent.dispose();
    browser = await launchBrowser();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await shot(page, 'failed').catch(() => undefined);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('the login page', async () => {
    context = await newContext(browser, baseUrl);
    page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('用户名', { exact: true }).waitFor();
    const v = await axeViolations(page);
    expect(v, formatViolations('/login', v)).toEqual([]);
  });

  it('the agent’s pages', async () => {
    const found = await audit('agent', [
      { path: '/', name: 'home', ready: heading(/您好/) },
      { path: '/hotline', name: 'hotline', ready: (p) => p.locator('.ant-card').first().waitFor() },
      { path: '/tickets', name: 'tickets', ready: table },
      { path: '/tickets/new', name: 'register', ready: (p) => p.getByLabel('问题描述').waitFor() },
      { path: `/tickets/${ids.ticket}`, name: 'ticket', ready: (p) => p.locator('.ant-descriptions').first().waitFor() },
      { path: '/customers', name: 'customers', ready: table },
      { path: `/customers/${ids.customer}`, name: 'customer', ready: (p) => p.locator('.ant-card').first().waitFor() },
    ]);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('the handler’s pages', async () => {
    const found = await audit('handler', [
      { path: '/work-orders', name: 'work-orders', ready: table },
      { path: `/work-orders/${ids.workOrder}`, name: 'work-order', ready: (p) => p.locator('.ant-descriptions').first().waitFor() },
    ]);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('the supervisor’s pages', async () => {
    const found = await audit('supervisor', [
      { path: '/callbacks', name: 'callbacks', ready: (p) => p.locator('.ant-table, .ant-empty').first().waitFor() },
      { path: '/visits', name: 'visits', ready: (p) => p.locator('.ant-table').first().waitFor() },
      { path: '/surveys', name: 'surveys', ready: (p) => p.locator('.ant-table').first().waitFor() },
      { path: '/kpis/k1', name: 'k1', ready: (p) => p.locator('.ant-card').first().waitFor() },
    ]);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('the manager’s dashboard and KPI pages', async () => {
    const found = await audit('manager', [
      { path: '/dashboard', name: 'dashboard', ready: (p) => p.locator('.ant-progress').first().waitFor() },
      { path: '/kpis/k2', name: 'k2', ready: (p) => p.locator('.ant-card').first().waitFor() },
      { path: '/kpis/k3', name: 'k3', ready: (p) => p.locator('.ant-card').first().waitFor() },
      { path: '/archive-rate', name: 'archive-rate', ready: (p) => p.locator('.ant-card').first().waitFor() },
    ]);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('the admin’s pages', async () => {
    const found = await audit('admin', [
      { path: '/users', name: 'users', ready: table },
      { path: '/projects', name: 'projects', ready: table },
      { path: '/departments', name: 'departments', ready: table },
      { path: '/audit', name: 'audit', ready: table },
      { path: '/outbox', name: 'outbox', ready: (p) => p.locator('.ant-table').first().waitFor() },
      { path: '/settings/ticket-categories', name: 'categories', ready: (p) => p.locator('.ant-table, .ant-tree').first().waitFor() },
      { path: '/settings/sla-policies', name: 'sla', ready: (p) => p.locator('.ant-table').first().waitFor() },
    ]);
    expect(found, found.join('\n')).toEqual([]);
  });
});
