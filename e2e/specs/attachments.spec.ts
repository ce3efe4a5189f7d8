import { request, type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseRadio, pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Attachments (issue 18 defect 4): an agent adds a photo to a new ticket and to an existing
 * one (by the file chooser and by pasting a big screenshot, which is compressed to JPEG),
 * previews and downloads it; a wrong file type is refused in Chinese; the department's handler
 * reports progress with a photo on the work order, and the agent sees it on the ticket; a
 * contract goes on a customer record.
 */
const JOURNEY = 'attachments';
const PROJECT = '观澜府';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
/** A 16×12 PNG. */
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
let workOrderId = '';

async function apiAs(username: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { 'X-Requested-With': 'XMLHttpRequest' } });
  const res = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return api;
}

async function logout(): Promise<void> {
  await page.getByRole('button', { name: /用户菜单|您的账户/ }).first().click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL('**/login');
}

/** The thumbnail of an attachment by its file name (the photo's alt text is the name). */
const thumb = (name: string | RegExp) => page.getByRole('img', { name });

describe('attachments journey', () => {
  beforeAll(async () => {
    baseUrl = process.env.E2E_BASE_URL ?? (server = await startServer()).baseUrl;
    const api = await apiAs('agent');
    const projects = await (await api.get('/api/projects')).json();
    const projectId = (projects.items as { id: string; name: string }[]).find((p) => p.name === PROJECT)!.id;
    const created = await api.post('/api/tickets', {
      data: { type: 'repair', severity: 'routine', channel: 'hotline', projectId, description: `外墙瓷砖脱落，请派人查看（E2E${suffix}）` },
    });
    if (!created.ok()) throw new Error(`ticket: ${created.status()} ${await created.text()}`);
    const t = await created.json();
    ticket = { id: t.id, number: t.number };
    const depts = (await (await api.get('/api/departments', { params: { projectId } })).json()) as { id: string; name: string }[];
    const dept = depts.find((d) => d.name === '深圳工程部')!;
    const dispatched = await api.post(`/api/tickets/${t.id}/dispatch`, {
      headers: { 'If-Match': `"${t.version}"` },
      data: { departmentId: dept.id, instructions: '请上门查看并拍照反馈', dueAt: new Date(Date.now() + 24 * 3600_000).toISOString() },
    });
    if (!dispatched.ok()) throw new Error(`dispatch: ${dispatched.status()} ${await dispatched.text()}`);
    workOrderId = ((await dispatched.json()).workOrders as { id: string }[])[0]!.id;
    await api.dispose();
    browser = await launchBrowser();
    context = await newContext(browser, baseUrl);
    page = await context.newPage();
    await signIn(page, 'agent', DEMO_PASSWORD);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await shot(page, 'failed').catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the agent registers a ticket with a photo and sees it on the ticket', async () => {
    await page.goto('/tickets/new');
    await chooseRadio(page, '报修');
    await pickOption(page, page, '项目', PROJECT, PROJECT);
    await chooseRadio(page, '不涉及');
    await page.getByLabel('问题描述').fill(`楼道灯不亮，附照片（E2E${suffix}）`);
    await page.locator('.ant-upload input[type=file]').first().setInputFiles({ name: '楼道灯.png', mimeType: 'image/png', buffer: PNG });
    await thumb('楼道灯.png').waitFor();
    await shot(page, 'register-with-photo');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL(/\/tickets\/(?!new)[^/]+$/);
    await thumb('楼道灯.png').waitFor();
    await shot(page, 'registered-ticket');
  });

  it('the agent adds a photo to a ticket, previews and downloads it', async () => {
    await page.goto(`/tickets/${ticket.id}`);
    const card = page.locator('.ant-card').filter({ has: page.locator('.ant-card-head-title', { hasText: /^附件/ }) });
    await card.locator('.ant-upload input[type=file]').first().setInputFiles({ name: '外墙.png', mimeType: 'image/png', buffer: PNG });
    await toast(page, '已上传 外墙.png').waitFor();
    await card.getByRole('img', { name: '外墙.png' }).click();
    await page.locator('.ant-image-preview').waitFor();
    await shot(page, 'ticket-photo-preview');
    await page.keyboard.press('Escape');
    const href = await card.getByRole('link', { name: '下载 外墙.png' }).getAttribute('href');
    const dl = await page.request.get(href!);
    expect(dl.status()).toBe(200);
    expect(Buffer.from(await dl.body()).equals(PNG)).toBe(true);
  });

  it('a big pasted screenshot is compressed to JPEG; a text file is refused in Chinese', async () => {
    await page.goto(`/tickets/${ticket.id}`);
    await page.locator('.ant-card-head-title', { hasText: /^附件/ }).waitFor();
    const original = await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 3000;
      canvas.height = 2000;
      const ctx = canvas.getContext('2d')!;
      const img = ctx.createImageData(3000, 2000);
      for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 2654435761) >>> 24; // noise: PNG cannot shrink it
      ctx.putImageData(img, 0, 0);
      const blob = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/png'));
      const data = new DataTransfer();
      data.items.add(new File([blob], 'screenshot.png', { type: 'image/png' }));
      document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      return blob.size;
    });
    expect(original).toBeGreaterThan(1.5 * 1024 * 1024);
    await toast(page, '已上传 screenshot.jpg').waitFor({ timeout: 30_000 });
    const detail = await (await page.request.get(`/api/tickets/${ticket.id}`)).json();
    const jpg = (detail.attachments as { filename: string; size: number; contentType: string }[]).find((a) => a.filename === 'screenshot.jpg')!;
    expect(jpg.contentType).toBe('image/jpeg');
    expect(jpg.size).toBeLessThan(original);

    await page.locator('.ant-upload input[type=file]').first().setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await toast(page, /「说明\.txt」的类型不支持/).waitFor();
  });

  it('the agent adds a contract (PDF) to a customer record and downloads it', async () => {
    const list = await (await page.request.get('/api/customers', { params: { page: 1, pageSize: 1 } })).json();
    const customerId = (list.items as { id: string }[])[0]!.id;
    await page.goto(`/customers/${customerId}`);
    const card = page.locator('.ant-card').filter({ has: page.locator('.ant-card-head-title', { hasText: /^附件/ }) });
    const pdf = Buffer.from('%PDF-1.4\n% 购房合同扫描件\n%%EOF\n');
    await card.locator('.ant-upload input[type=file]').first().setInputFiles({ name: '购房合同.pdf', mimeType: 'application/pdf', buffer: pdf });
    await toast(page, '已上传 购房合同.pdf').waitFor();
    await card.locator('[data-filename="购房合同.pdf"]').waitFor();
    await card.locator('.ant-card-head-title', { hasText: '附件（1）' }).waitFor();
    const href = await card.getByRole('link', { name: '下载 购房合同.pdf' }).getAttribute('href');
    const dl = await page.request.get(href!);
    expect(dl.status()).toBe(200);
    expect(Buffer.from(await dl.body()).equals(pdf)).toBe(true);
    await shot(page, 'customer-document');
  });

  it('the handler reports progress with a photo on the work order', async () => {
    await logout();
    await signIn(page, 'handler', DEMO_PASSWORD);
    await page.goto(`/work-orders/${workOrderId}`);
    await page.getByRole('button', { name: '接单' }).click();
    await toast(page, '已接单').waitFor();
    await page.getByRole('button', { name: '报告进展' }).click();
    const dialog = page.getByRole('dialog', { name: /报告进展/ });
    await dialog.getByRole('textbox').first().fill('已上门查看，瓷砖松动三块，已拉警戒线');
    await dialog.locator('.ant-upload input[type=file]').first().setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await dialog.getByRole('img', { name: '现场.png' }).waitFor();
    await shot(page, 'progress-with-photo');
    await dialog.getByRole('button', { name: '报告进展' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await thumb('现场.png').waitFor();
    await shot(page, 'work-order-photo');
  });

  it('the agent sees the handler’s photo on the ticket', async () => {
    await logout();
    await signIn(page, 'agent', DEMO_PASSWORD);
    await page.goto(`/tickets/${ticket.id}`);
    await page.getByText('派工单 · 深圳工程部').waitFor();
    await thumb('现场.png').waitFor();
    await thumb('外墙.png').waitFor();
    await shot(page, 'ticket-with-work-order-photo');
    // A reply to the customer can carry a file too; it is kept on the ticket.
    await page.getByRole('button', { name: '答复客户' }).click();
    const dialog = page.getByRole('dialog', { name: /答复客户/ });
    await dialog.getByRole('textbox').first().fill('已安排工程部上门处理，附现场整改照片');
    await dialog.locator('.ant-upload input[type=file]').first().setInputFiles({ name: '整改.png', mimeType: 'image/png', buffer: PNG });
    await dialog.getByRole('img', { name: '整改.png' }).waitFor();
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await thumb('整改.png').waitFor();
  });
});
