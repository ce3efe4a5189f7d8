import { request, type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toast } from '../harness/antd.js';
import { launchBrowser, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Phones (issue 18): at 390×844 the menu is a drawer and the content takes the width; a
 * handler works a work order from the queue on the phone (accept, progress with a photo); a
 * supervisor opens the callbacks; the agent's ticket list scrolls sideways instead of
 * squeezing. The browser tab names the page ("工单 KS… · 桥梁").
 */
const JOURNEY = 'phone';
const W = 390;
const H = 844;
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAMCAIAAADkharWAAABU0lEQVR4nA3RoRHAIBBEUTqIQUdj6OA6iEGjMXRwHWDQ0Zh0cB1gvo7G0Eni983s7Dqc43CcjugQx+XIjupQR3Pcjsdhjul4HftPO8/hOT3RI57Lkz3Vo57muT2PxzzT83q2/0HgCJyBGJDAFciBGtBAC9yBJ2CBGXgDO/xAOIRTiIIIl5CFKqjQhFt4BBOm8Ar7L+0SR+JMxIQkrkRO1IQmWuJOPAlLzMSb2OkHhaNwFmJBClchF2pBC61wF56CFWbhLezyA+VQTiUqolxKVqqiSlNu5VFMmcqr7H871zk6Zyd2pHN1cqd2tNM6d+fpWGd23s7uPxgcg3MQBzK4BnlQBzpog3vwDGwwB+9gjx8Yh3Ea0RDjMrJRDTWacRuPYcY0XmP/Fzo44IQIAhdkqKDQ4IYHDCa8sP+4WxyLcxEXsrgWeVEXumiLe/EsbDEX72KvDz5FPPDbCKO6AAAAAElFTkSuQmCC',
  'base64',
);

let server: RunningServer | null = null;
let baseUrl = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshotter(JOURNEY);
let ticket = { id: '', number: '' };

async function apiAs(username: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { 'X-Requested-With': 'XMLHttpRequest' } });
  const res = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return api;
}

/** A phone: touch, 390×844 CSS pixels, Chinese. */
async function phone(username: string): Promise<void> {
  await context?.close();
  context = await browser.newContext({ baseURL: baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: W, height: H }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  await signIn(page, username, DEMO_PASSWORD);
}

/** Nothing sticks out to the right of the screen (the page itself never scrolls sideways). */
async function expectNoSideScroll(): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(W);
}

describe('phone journey (390×844)', () => {
  beforeAll(async () => {
    baseUrl = process.env.E2E_BASE_URL ?? (server = await startServer()).baseUrl;
    const agent = await apiAs('agent');
    const projects = (await (await agent.get('/api/projects')).json()).items as { id: string; name: string }[];
    const projectId = projects.find((p) => p.name === '观澜府')!.id;
    const t = await (await agent.post('/api/tickets', { data: { type: 'repair', severity: 'routine', channel: 'hotline', projectId, description: '地下车库B2层积水，请排水（手机测试）' } })).json();
    const dept = ((await (await agent.get('/api/departments', { params: { projectId } })).json()) as { id: string; name: string }[]).find((d) => d.name === '深圳工程部')!;
    const res = await agent.post(`/api/tickets/${t.id}/dispatch`, {
      headers: { 'If-Match': `"${t.version}"` },
      data: { departmentId: dept.id, instructions: '请到B2层排水并拍照', dueAt: new Date(Date.now() + 24 * 3600_000).toISOString() },
    });
    if (!res.ok()) throw new Error(`dispatch: ${res.status()} ${await res.text()}`);
    ticket = { id: t.id, number: t.number };
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

  it('the handler opens the menu drawer and works a work order with a photo', async () => {
    await phone('handler');
    // No sider: the content takes the screen, the menu is behind a button.
    expect(await page.locator('.ant-layout-sider').count()).toBe(0);
    const content = await page.locator('.ant-layout-content').boundingBox();
    expect(content!.width).toBeGreaterThanOrEqual(W - 1);
    await expectNoSideScroll();
    await shot(page, 'handler-home');
    await page.getByRole('button', { name: '打开菜单' }).click();
    const drawer = page.locator('.ant-drawer');
    await shot(page, 'menu-drawer');
    await drawer.getByRole('menuitem', { name: /派工单/ }).click();
    await page.waitForURL('**/work-orders');
    await drawer.getByRole('menuitem').first().waitFor({ state: 'hidden' });
    expect(await page.title()).toBe('派工单 · 桥梁');
    // The queue is a list of cards on a phone.
    const card = page.getByRole('listitem').filter({ hasText: ticket.number });
    await card.waitFor();
    await expectNoSideScroll();
    await shot(page, 'queue');
    await card.getByRole('link', { name: ticket.number }).click();
    await page.getByRole('heading', { name: new RegExp(ticket.number) }).waitFor();
    expect(await page.title()).toBe(`派工单 ${ticket.number} · 桥梁`);
    await page.getByRole('button', { name: '接单' }).click();
    await toast(page, '已接单').waitFor();
    await expectNoSideScroll();
    await page.getByRole('button', { name: '报告进展' }).click();
    const dialog = page.getByRole('dialog', { name: /报告进展/ });
    await dialog.getByRole('textbox').first().fill('已到现场，正在抽水');
    // The camera button takes a photo on a real phone; here the same input gets a file.
    await dialog.getByRole('button', { name: '用相机拍照上传' }).waitFor();
    await dialog.locator('input[capture]').setInputFiles({ name: 'B2积水.png', mimeType: 'image/png', buffer: PNG });
    await dialog.getByRole('img', { name: 'B2积水.png' }).waitFor();
    await shot(page, 'progress-dialog');
    await dialog.getByRole('button', { name: '报告进展' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('img', { name: 'B2积水.png' }).waitFor();
    await expectNoSideScroll();
    await shot(page, 'work-order');
  });

  it('the supervisor opens the callbacks on a phone', async () => {
    await phone('supervisor');
    await page.goto('/callbacks');
    await page.getByRole('tab', { name: /我的/ }).first().waitFor();
    await expectNoSideScroll();
    await shot(page, 'callbacks');
  });

  it('the agent’s ticket list scrolls sideways inside its box, and the ticket page fits', async () => {
    await phone('agent');
    await page.goto('/tickets');
    await page.locator('.ant-table-row').first().waitFor();
    await expectNoSideScroll();
    const scroller = page.locator('.ant-table-content, .ant-table-body').first();
    expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await shot(page, 'tickets');
    await page.goto(`/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: ticket.number }).waitFor();
    expect(await page.title()).toBe(`工单 ${ticket.number} · 桥梁`);
    await expectNoSideScroll();
    await shot(page, 'ticket');
  });
});
