import { readFileSync } from 'node:fs';
import { request, type APIRequestContext, type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseRadio, pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Callbacks and the service dashboard (issue 5, K1–K4, J2, M2, D9, workflow callback → close
 * or reopen): a supervisor works the team's callbacks — one customer is not reached, another
 * is dissatisfied, and the ticket shows reopened and escalated; the supervisor generates the
 * year's visit tasks and records a visit. Then a manager opens the dashboard, drills from K1
 * to the late complaints and exports them, and opens and exports the K2 and K3 records and the
 * customers' voice (D9).
 */
const JOURNEY = 'callbacks-dashboard';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const COMMENT = `业主表示渗水仍未根治，要求再次上门（E2E${suffix}）`;

let server: RunningServer | null = null;
let baseUrl = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshotter(JOURNEY);
/** A screenshot with the drawer open: from the top of the list, so the drawer shows whole. */
async function drawerShot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
}

interface CallbackRow {
  id: string;
  ticketId: string;
  ticketNumber: string;
  ticketType: string;
  status: string;
}
/** The callback the supervisor completes as dissatisfied (a complaint) and the one not reached. */
let rated: CallbackRow;
let missed: CallbackRow;
/** A complaint the supervisor marks invalid (a duplicate) from its callback. */
let flagged: CallbackRow;

/** Signs in through the API (for the test setup only). */
async function apiAs(username: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { 'X-Requested-With': 'XMLHttpRequest' } });
  const res = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return api;
}

async function login(username: string): Promise<void> {
  await signIn(page, username, DEMO_PASSWORD);
}

async function logout(): Promise<void> {
  await page.getByRole('button', { name: '用户菜单' }).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL('**/login');
}

/** A sider menu entry (its accessible name also carries the icon's name, e.g. "phone 回访"). */
const menuItem = (name: string) => page.getByRole('menu').first().getByRole('menuitem', { name: new RegExp(`(^| )${name}$`) });
const drawer = () => page.locator('.ant-drawer-open').getByRole('dialog');

/** The 回访 button of a callback in the list, loading more of the list until it shows. */
async function callbackButton(number: string) {
  const button = page.getByRole('button', { name: `回访 ${number}` });
  await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  for (let i = 0; i < 20 && !(await button.count()); i++) {
    // A button still loading the previous page is re-rendered when it ends: wait for an idle one.
    const more = page.locator('button:not(.ant-btn-loading)', { hasText: '加载更多' });
    if (!(await page.getByRole('button', { name: '加载更多' }).count())) break;
    await more.first().waitFor({ timeout: 30_000 });
    await more.first().click();
    await page.waitForLoadState('networkidle');
  }
  return button;
}

/** Clicks a button that downloads a file and returns the download with its bytes. */
async function download(click: () => Promise<void>): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await file.path();
  return { file, bytes: readFileSync(path ?? '') };
}

/** An .xlsx is a zip (PK…); ours are stored uncompressed, so the sheet's text can be searched. */
function expectWorkbook(bytes: Buffer, ...texts: string[]): void {
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  const body = bytes.toString('utf8');
  for (const t of texts) expect(body).toContain(t);
}

describe('callbacks and dashboard journey', () => {
  beforeAll(async () => {
    if (process.env.E2E_BASE_URL) {
      baseUrl = process.env.E2E_BASE_URL;
    } else {
      server = await startServer();
      baseUrl = server.baseUrl;
    }
    // The demo's open callbacks are assigned to the agents; the supervisor works the team's.
    const api = await apiAs('supervisor');
    const list = (await (await api.get('/api/callbacks', { params: { view: 'team', status: 'open', limit: 100 } })).json()) as { items: CallbackRow[] };
    const complaint = list.items.find((c) => c.ticketType === 'complaint');
    expect(complaint, 'an open callback of a complaint in the supervisor\'s projects').toBeTruthy();
    rated = complaint!;
    missed = list.items.find((c) => c.id !== rated.id)!;
    flagged = list.items.find((c) => c.ticketType === 'complaint' && c.id !== rated.id && c.id !== missed.id)!;
    expect(missed).toBeTruthy();
    expect(flagged, 'a second open complaint callback').toBeTruthy();
    await api.dispose();

    browser = await launchBrowser();
    context = await newContext(browser, baseUrl);
    page = await context.newPage();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await shot(page, 'failed').catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the supervisor opens the team callbacks, overdue ones in red', async () => {
    await login('supervisor');
    for (const item of ['服务指标', '回访', '拜访']) await menuItem(item).waitFor();
    await menuItem('回访').click();
    await page.waitForURL('**/callbacks');
    await page.getByRole('heading', { name: '回访' }).waitFor();
    await page.getByRole('tab', { name: '团队回访' }).click();
    await page.waitForURL('**/callbacks?view=team');
    await (await callbackButton(missed.ticketNumber)).waitFor();
    await shot(page, 'callbacks-team');
  });

  it('a customer not reached: the attempt is recorded with a note', async () => {
    await (await callbackButton(missed.ticketNumber)).click();
    await drawer().getByText('回访话术').waitFor();
    await drawer().getByText(missed.ticketNumber, { exact: false }).first().waitFor();
    await drawer().getByRole('button', { name: '未接通' }).click();
    await drawer().getByLabel('说明').fill('无人接听，明天上午再打');
    await drawer().getByRole('button', { name: '记录未接通' }).click();
    await toast(page, '已记录第 1 次未接通（共 3 次）').waitFor();
    await drawer().getByText('1 / 3').waitFor();
    await drawerShot('callback-not-reached');
    await page.keyboard.press('Escape');
    await drawer().waitFor({ state: 'hidden' });
  });

  it('a dissatisfied customer: the callback reopens and escalates the ticket', async () => {
    await (await callbackButton(rated.ticketNumber)).click();
    await drawer().getByText('回访话术').waitFor();
    // The script names the ticket; the customer's number is masked.
    await drawer().getByText(new RegExp(`工单 ${rated.ticketNumber}`)).waitFor();
    expect(await drawer().getByText(/^\d{3}\*{4}\d{4}$/).count()).toBeGreaterThan(0);
    await drawer().locator('.ant-tag').filter({ hasText: /^已解决$/ }).waitFor();
    await drawerShot('callback-drawer');

    await drawer().getByRole('button', { name: '完成回访' }).click();
    await chooseRadio(drawer(), '不满意');
    await drawer().getByLabel('客户意见').fill(COMMENT);
    await drawer().getByRole('checkbox', { name: '上门拜访' }).check();
    await drawerShot('callback-rating');
    await drawer().getByRole('button', { name: '提交回访结果' }).click();

    const result = drawer().locator('.ant-result');
    await result.getByText('客户不满意：工单已重开并升级').waitFor();
    await result.getByText(/工单已重开，已升级至/).waitFor();
    await drawerShot('callback-dissatisfied');

    await result.getByRole('button', { name: '查看工单' }).click();
    await page.waitForURL(`**/tickets/${rated.ticketId}`);
    await page.getByRole('heading', { name: rated.ticketNumber }).waitFor();
    await page.locator('.ant-tag').filter({ hasText: /^已重开$/ }).first().waitFor();
    await page.locator('.ant-tag').filter({ hasText: /^↑/ }).first().waitFor();
    await shot(page, 'ticket-reopened');

    // The callback is done: off the team's open list (the not-reached one stays, with its attempt).
    await page.goto('/callbacks?view=team');
    await (await callbackButton(missed.ticketNumber)).waitFor();
    expect(await (await callbackButton(rated.ticketNumber)).count()).toBe(0);
    await page.locator('tr').filter({ hasText: missed.ticketNumber }).getByText('1 / 3').waitFor();
  });

  it('a duplicate complaint is marked invalid with a reason (only a manager may reverse it)', async () => {
    await (await callbackButton(flagged.ticketNumber)).click();
    const card = drawer().locator('.ant-card').filter({ hasText: '有效性认定' });
    await card.getByText('有效投诉', { exact: true }).waitFor();
    await card.getByRole('button', { name: '认定为无效投诉' }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '认定为无效投诉' });
    await dialog.getByRole('button', { name: '认定为无效投诉' }).click();
    await dialog.getByText('请选择认定理由').waitFor();
    await pickOption(page, dialog, '认定理由', '重复投诉');
    await dialog.getByLabel('说明').fill(`与同一业主此前的投诉重复（E2E${suffix}）`);
    await dialog.getByRole('button', { name: '认定为无效投诉' }).click();
    await toast(page, '已认定为无效投诉').waitFor();
    await card.getByText('无效投诉', { exact: true }).waitFor();
    await card.getByText('重复投诉').waitFor();
    await card.getByText(`E2E${suffix}`, { exact: false }).waitFor();
    expect(await card.getByRole('button', { name: '撤销无效认定' }).count()).toBe(0);
    await drawerShot('complaint-invalid');
    await page.keyboard.press('Escape');
    await drawer().waitFor({ state: 'hidden' });
  });

  it('the supervisor generates the year\'s visit tasks and records a visit', async () => {
    await menuItem('拜访').click();
    await page.waitForURL('**/visits');
    await page.getByText(/年度拜访计划$/).waitFor();
    await page.getByText('120%（', { exact: false }).waitFor();
    await page.getByRole('button', { name: '生成任务' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await toast(page, /已生成 \d+ 个拜访任务|任务已是最新/).waitFor();
    const record = page.getByRole('button', { name: /^记录拜访 / }).first();
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await page.waitForLoadState('networkidle');
    const customer = ((await record.getAttribute('aria-label')) ?? '').replace(/^记录拜访 /, '');
    await shot(page, 'visit-plan');

    await record.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`记录拜访：${customer}`).waitFor();
    await dialog.getByLabel('拜访记录').fill(`上门了解居住情况，业主建议增加充电桩（E2E${suffix}）`);
    await chooseRadio(dialog, '满意');
    await shot(page, 'visit-record');
    await dialog.getByRole('button', { name: '保存' }).click();
    await toast(page, '拜访已记录').waitFor();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('tab', { name: '拜访记录' }).click();
    await page.locator('tr').filter({ hasText: `E2E${suffix}` }).filter({ hasText: customer }).waitFor();
    await shot(page, 'visits-list');
    await logout();
  });

  it('a manager opens the dashboard: the four KPIs against target, trends and breakdowns', async () => {
    // A fresh session whatever state the supervisor's part left the page in.
    await context.clearCookies();
    await login('manager');
    await menuItem('服务指标').click();
    await page.waitForURL('**/dashboard');
    await page.getByRole('heading', { name: '服务指标' }).waitFor();
    await page.locator('.ant-segmented').getByText('近12个月').click();
    await page.waitForURL(/\/dashboard\?from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}/);
    for (const name of ['K1 投诉处理及时率', 'K2 有效投诉满意率', 'K3 客户拜访覆盖率', 'K4 客户档案完整率']) {
      await page.getByRole('link', { name: `查看${name}明细` }).waitFor();
    }
    await page.locator('[data-kpi="k3"]').getByText(/全年 120% × 本期 \d+ 天 \/ 36[56] 天/).waitFor();
    await page.locator('[data-kpi="k2"]').getByText(/无法联系 \d+（不计入）/).waitFor();
    for (const chart of ['月度趋势：及时率与满意率', '工单类型', '各项目工单量', '受理渠道', '部门处理负荷', '热点楼栋（工单最多）']) {
      await page.getByRole('img', { name: new RegExp(`^${chart.replace(/[()（）]/g, '.')}：`) }).waitFor();
    }
    await page.getByText('客户声音：投诉热点').waitFor();
    await shot(page, 'dashboard');
  });

  it('drills from K1 to the late complaints and exports them', async () => {
    const lateLink = page.locator('[data-kpi="k1"]').getByRole('link', { name: /^超时 \d+$/ });
    const late = Number(((await lateLink.innerText()).match(/\d+/) ?? ['0'])[0]);
    expect(late).toBeGreaterThan(0);
    await lateLink.click();
    await page.waitForURL(/\/kpis\/k1\?.*verdict=late/);
    await page.getByRole('heading', { name: 'K1 及时率' }).waitFor();
    await page.getByText(`共 ${late} 条`).waitFor();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    expect(await rows.count()).toBeGreaterThan(0);
    const firstNumber = (await rows.first().locator('a').first().innerText()).trim();
    for (const verdict of await rows.locator('td').filter({ hasText: /^(按时|超时|未到期)$/ }).allInnerTexts()) expect(verdict).toBe('超时');
    await shot(page, 'k1-late');

    const { file, bytes } = await download(() => page.getByRole('button', { name: '导出 Excel' }).click());
    expect(file.suggestedFilename()).toMatch(/^K1明细-.*\.xlsx$/);
    expectWorkbook(bytes, firstNumber, '超时');
  });

  it('opens and exports the K2 and K3 records and the customers\' voice', async () => {
    await page.goBack();
    await page.waitForURL('**/dashboard?**');
    await page.getByRole('link', { name: '查看K2 有效投诉满意率明细' }).click();
    await page.waitForURL('**/kpis/k2?**');
    await page.getByRole('heading', { name: /K2 有效投诉满意率/ }).waitFor();
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await page.getByRole('button', { name: /^不满意 \d+$/ }).click();
    await page.waitForURL(/which=dissatisfied/);
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'k2-dissatisfied');
    const k2 = await download(() => page.getByRole('button', { name: '导出 Excel' }).click());
    expect(k2.file.suggestedFilename()).toMatch(/^K2明细-.*\.xlsx$/);
    expectWorkbook(k2.bytes, '不满意');

    await page.getByRole('button', { name: '返回服务指标' }).click();
    await page.waitForURL('**/dashboard?**');
    await page.getByRole('link', { name: '查看K3 客户拜访覆盖率明细' }).click();
    await page.waitForURL('**/kpis/k3?**');
    await page.getByRole('heading', { name: /K3 客户拜访覆盖率/ }).waitFor();
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'k3-records');
    const k3 = await download(() => page.getByRole('button', { name: '导出 Excel' }).click());
    expect(k3.file.suggestedFilename()).toMatch(/^K3明细-.*\.xlsx$/);
    expectWorkbook(k3.bytes, '回访');

    await page.getByRole('button', { name: '返回服务指标' }).click();
    await page.waitForURL('**/dashboard?**');
    const voice = await download(() => page.getByRole('button', { name: '导出客户声音' }).click());
    expect(voice.file.suggestedFilename()).toMatch(/^客户声音-.*\.xlsx$/);
    expectWorkbook(voice.bytes, '投诉类别', '典型工单');
  });
});
