import { request, type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseRadio, pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * KPI truth journey (issue 20, K3/K4, gaps 8 and 9): an agent records an unsuccessful home visit
 * to a 观澜府 owner (not at home) and finds it beside K3, not in it; then transfers the owner's
 * home to a buyer (过户) and sees the seller's relation ended and the buyer's started that day.
 */
const JOURNEY = 'kpi-truth';
const PROJECT = '观澜府';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const BUYER = `买方${suffix}`;

let server: RunningServer | null = null;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let baseUrl: string;
const shot = screenshotter(JOURNEY);
let projectId = '';
let seller: { id: string; name: string; unitLabel: string };

async function apiAs(username: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { 'X-Requested-With': 'XMLHttpRequest' } });
  const res = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return api;
}

describe('KPI truth journey', () => {
  beforeAll(async () => {
    baseUrl = process.env.E2E_BASE_URL ?? (server = await startServer()).baseUrl;
    const api = await apiAs('agent');
    const projects = await (await api.get('/api/projects')).json();
    projectId = (projects.items as { id: string; name: string }[]).find((p) => p.name === PROJECT)!.id;
    // An owner of 观澜府 holding exactly one home there (the seller of this run).
    const list = await (await api.get('/api/customers', { params: { projectId, page: 3, pageSize: 50 } })).json();
    for (const s of list.items as { id: string; name: string }[]) {
      const c = await (await api.get(`/api/customers/${s.id}`)).json();
      const homes = (c.units as { current: boolean; relation: string; projectName: string; unitLabel: string }[]).filter((u) => u.current && u.relation === 'owner' && u.projectName === PROJECT);
      if (homes.length === 1 && c.units.length === 1) {
        seller = { id: c.id, name: c.name, unitLabel: homes[0]!.unitLabel };
        break;
      }
    }
    if (!seller) throw new Error('no 观澜府 owner with one home');
    const buyer = await api.post('/api/customers', { data: { kind: 'owner', name: BUYER, projectId, phones: [] } });
    if (!buyer.ok()) throw new Error(`buyer: ${buyer.status()} ${await buyer.text()}`);
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

  it('records an unsuccessful visit, which shows beside K3 and not in it', async () => {
    await page.goto(`/customers/${seller.id}`);
    await page.getByRole('heading', { name: seller.name }).waitFor();
    await page.getByRole('button', { name: '记录拜访' }).first().click();
    const dialog = page.getByRole('dialog', { name: `记录拜访：${seller.name}` });
    await chooseRadio(dialog, '未成功');
    await dialog.getByText('未成功的拜访不计入 K3 拜访覆盖率').waitFor();
    await pickOption(page, dialog, '未成功原因', '不在家');
    await dialog.getByLabel('拜访记录').fill('上门两次无人应门');
    await shot(page, 'unsuccessful-visit');
    await dialog.getByRole('button', { name: /确\s*定|保\s*存/ }).click();
    await toast(page, '未成功的拜访已记录').waitFor();

    await page.goto(`/kpis/k3?projectId=${projectId}`);
    const beside = page.locator('.ant-card').filter({ hasText: '未成功的拜访（不计入 K3）' });
    const row = beside.getByRole('row').filter({ hasText: seller.name });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('不在家');
    await shot(page, 'k3-beside');
  });

  it('transfers the home to a buyer on one date (过户)', async () => {
    await page.goto(`/customers/${seller.id}`);
    await page.getByRole('heading', { name: seller.name }).waitFor();
    await page.getByRole('button', { name: `过户 ${seller.unitLabel}` }).click();
    const dialog = page.getByRole('dialog', { name: new RegExp(`房屋过户：.*${seller.unitLabel}`) });
    await pickOption(page, dialog, '买方', BUYER, BUYER);
    await dialog.getByLabel('买方合同编号').fill(`GH-${suffix}`);
    await shot(page, 'transfer');
    await dialog.getByRole('button', { name: /^过\s*户$/ }).click();
    await toast(page, '过户已完成').waitFor();
    // The seller's relation has ended today; the buyer now holds the home from today.
    await page.getByRole('checkbox', { name: /显示已结束的关系/ }).check();
    await page.getByText(seller.unitLabel).first().waitFor();
    const api = await apiAs('agent');
    const buyers = await (await api.get('/api/customers', { params: { q: BUYER, page: 1, pageSize: 5 } })).json();
    const buyer = await (await api.get(`/api/customers/${buyers.items[0].id}`)).json();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(buyer.units).toEqual([expect.objectContaining({ unitLabel: seller.unitLabel, fromDate: today, current: true, contractNo: `GH-${suffix}` })]);
    const sellerNow = await (await api.get(`/api/customers/${seller.id}`)).json();
    expect(sellerNow.units).toEqual([expect.objectContaining({ unitLabel: seller.unitLabel, toDate: today, current: false })]);
    await api.dispose();
    await shot(page, 'transferred');
  });
});
