import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseRadio, pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, REPO_ROOT, startServer, type RunningServer } from '../harness/server.js';

/**
 * Issue #18: the agent console as a daily tool. One test per defect fixed, each as a new
 * user would check it in the browser.
 */
const JOURNEY = 'console-defects';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const CTI_SECRET = `e2e-cti-secret-${suffix}-console-0123456789abcdef`;

let server: RunningServer | null = null;
let baseUrl = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshotter(JOURNEY);

type Signer = (secret: string, body: string, t: number) => string;
let signCtiBody: Signer;

async function ctiEvent(event: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify(event);
  const res = await fetch(`${baseUrl}/api/cti/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Qiaoliang-Signature': signCtiBody(CTI_SECRET, body, Math.floor(Date.now() / 1000)) },
    body,
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function login(username: string): Promise<void> {
  // Each test starts signed out, even after an earlier one failed before its logout.
  await context.clearCookies();
  await signIn(page, username, DEMO_PASSWORD);
}

async function logout(): Promise<void> {
  await page.getByRole('button', { name: '用户菜单' }).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL('**/login');
}

describe('console defects (issue #18)', () => {
  beforeAll(async () => {
    ({ signCtiBody } = (await import(pathToFileURL(join(REPO_ROOT, 'apps/server/dist/modules/hotline/cti.signature.js')).href)) as { signCtiBody: Signer });
    server = await startServer({ CTI_SECRET });
    baseUrl = server.baseUrl;
    browser = await launchBrowser();
    context = await newContext(browser, baseUrl);
    page = await context.newPage();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await shot(page, `failed-${ctx.task.name.slice(0, 20)}`).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('defect 1: a reload during a call keeps the screen pop, the status shows the call, 最近通话 reopens it', async () => {
    await login('agent');
    const callId = `e2e-console-${suffix}`;
    await page.goto(`${baseUrl}/hotline`);
    await page.getByText('已连接，等待来电').waitFor();
    await ctiEvent({ event: 'ringing', callId, caller: '13712345678', called: '4008001234', extension: '8001' });
    await ctiEvent({ event: 'answered', callId, extension: '8001' });
    await page.getByText('通话中：137****5678').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: '137****5678' }).waitFor();
    await page.getByText('通话中：137****5678').waitFor();
    expect(await page.getByText('已连接，等待来电').count()).toBe(0);
    await shot(page, 'pop-after-reload');

    // The call ends; a fresh page shows no pop, and 最近通话 brings it back on a click.
    await ctiEvent({ event: 'ended', callId, extension: '8001' });
    await page.reload();
    await page.getByText('已连接，等待来电').waitFor();
    expect(await page.getByRole('heading', { name: '137****5678' }).count()).toBe(0);
    await page.getByRole('button', { name: '打开弹屏 137****5678' }).first().click();
    await page.getByRole('heading', { name: '137****5678' }).waitFor();
    await logout();
  });

  it('defect 2: registration has no default type and says to choose one', async () => {
    await login('agent');
    await page.goto(`${baseUrl}/tickets/new`);
    await page.getByRole('heading', { name: '登记工单' }).waitFor();
    const types = page.getByRole('radiogroup').first();
    for (const name of ['投诉', '报修', '咨询']) expect(await types.getByRole('radio', { name, exact: true }).isChecked()).toBe(false);
    await page.getByLabel('问题描述').fill('业主咨询物业费缴费方式');
    await page.getByRole('button', { name: /^登\s*记$/ }).click();
    await page.getByText('请选择工单类型：投诉、报修、咨询等按客户反映的实际情况选择').waitFor();
    expect(page.url()).toContain('/tickets/new');
    await shot(page, 'register-no-type');
    await logout();
  });

  it('defect 3: a work-order deadline past the ticket\'s warns and needs a reason', async () => {
    await login('agent');
    await page.goto(`${baseUrl}/tickets/new`);
    await chooseRadio(page, '投诉');
    await pickOption(page, page, '项目', '观澜府');
    await page.getByLabel('问题描述').fill(`小区东门道闸经常抬不起来，车辆排队（E2E${suffix}）`);
    await page.getByRole('button', { name: /^登\s*记$/ }).click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await toast(page, /已登记工单/).waitFor();
    // The auto-title ends at a punctuation mark, not mid-word.
    await page.getByText('投诉：小区东门道闸经常抬不起来，车辆排队（E2E').first().waitFor();

    await page.getByRole('toolbar').getByRole('button', { name: '派单', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /派单/ });
    await pickOption(page, dialog, '处理部门', '深圳工程部');
    await dialog.getByLabel('派单说明').fill('请检修东门道闸');
    await dialog.getByRole('button', { name: '3 天' }).click();
    await dialog.getByText(/派工单时限晚于工单时限/).waitFor();
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await dialog.getByText('时限晚于工单时限，请填写延后原因').waitFor();
    await shot(page, 'dispatch-late-warning');
    await dialog.getByLabel('延后原因').fill('道闸电机需厂家订货，约三天到货');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.ant-tag').filter({ hasText: /^已派单$/ }).first().waitFor();
    await logout();
  });

  it('defect 5: a 10,000-character description shows the counter over the limit and is refused, never cut', async () => {
    await login('agent');
    await page.goto(`${baseUrl}/tickets/new`);
    await chooseRadio(page, '咨询');
    const box = page.getByLabel('问题描述');
    await box.fill('长'.repeat(10_000));
    expect((await box.inputValue()).length).toBe(10_000);
    await page.getByText('10000 / 5000').waitFor();
    await page.getByRole('button', { name: /^登\s*记$/ }).click();
    await page.getByText('长度不能超过 5000 个字符').waitFor();
    expect(page.url()).toContain('/tickets/new');
    await shot(page, 'description-over-limit');
    await logout();
  });

  it('defect 6: a phone with a letter and an emoji-only name are refused with clear messages', async () => {
    await login('agent');
    await page.goto(`${baseUrl}/customers`);
    await page.getByRole('button', { name: /新建客户/ }).first().click();
    const drawer = page.getByRole('dialog').filter({ hasText: '新建客户' });
    await drawer.getByLabel('姓名', { exact: true }).fill('😀😀');
    await drawer.getByLabel('电话号码 1').fill('1371234567a');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await drawer.getByText('姓名须包含汉字或字母，不能只有表情、数字或符号').waitFor();
    await drawer.getByText(/电话号码只能包含数字/).waitFor();
    // The letter was not dropped from what the agent typed.
    expect(await drawer.getByLabel('电话号码 1').inputValue()).toBe('1371234567a');
    await shot(page, 'customer-invalid');
    await page.keyboard.press('Escape');
    await logout();
  });

  it('defect 7: the handler\'s work order shows the customer, masked phone, unit, ticket number and complaint', async () => {
    // The ticket of defect 3 went to 深圳工程部; its handler opens the work order.
    await login('handler');
    await page.goto(`${baseUrl}/work-orders`);
    await page.getByRole('row').filter({ hasText: '请检修东门道闸' }).getByRole('link').first().click();
    await page.waitForURL(/\/work-orders\/[0-9a-f-]{36}$/);
    const card = page.locator('.ant-card').filter({ hasText: '客户与诉求' });
    await card.waitFor();
    expect(await card.innerText()).toMatch(/KS\d{8}-\d{4}/);
    await card.getByText(/小区东门道闸经常抬不起来，车辆排队/).waitFor();
    await shot(page, 'work-order-context');
    await logout();
  });

  it('defect 10: the survey says （可多选） once', async () => {
    const db = new Database(join(server!.dataDir, 'qiaoliang.db'), { readonly: true, fileMustExist: true });
    let token = '';
    try {
      token = (db.prepare('select token from survey_invitations where responded_at is null order by id limit 1').get() as { token: string }).token;
    } finally {
      db.close();
    }
    await page.goto(`${baseUrl}/s/${token}`);
    await page.getByText(/最需要改进的方面/).waitFor();
    const body = await page.locator('body').innerText();
    expect(body).toContain('（可多选）');
    expect(body).not.toContain('（可多选）（可多选）');
  });

  it('defect 10: the users table does not hide 手机号 under the fixed column', async () => {
    await login('admin');
    await page.goto(`${baseUrl}/users`);
    const phoneHeader = page.getByRole('columnheader', { name: '手机号' });
    await phoneHeader.waitFor();
    const actions = page.locator('th.ant-table-cell-fix-right, th.ant-table-cell-fix-end').first();
    const [ph, act] = [await phoneHeader.boundingBox(), await actions.boundingBox()];
    expect(ph && act).toBeTruthy();
    // Scrolled fully left, the phone column ends before the fixed 操作 column starts (or the table scrolls).
    const scroller = page.locator('.ant-table-content, .ant-table-body').first();
    await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    const ph2 = await phoneHeader.boundingBox();
    const act2 = await actions.boundingBox();
    expect(ph2!.x + ph2!.width).toBeLessThanOrEqual(act2!.x + 1);
    await logout();
  });

  it('defect 10: supervisors import ticket history in the UI; errors stay as a downloadable table', async () => {
    await login('supervisor');
    await page.goto(`${baseUrl}/tickets`);
    await page.getByRole('button', { name: '导入历史工单' }).waitFor();
    await page.goto(`${baseUrl}/tickets/import`);
    await page.getByRole('heading', { name: '导入历史工单' }).waitFor();
    await pickOption(page, page, '项目', '观澜府');
    const csv = join(tmpdir(), `ticket-history-${suffix}.csv`);
    writeFileSync(csv, '原工单号,类型,描述,登记时间,状态,解决时间\nOLD-1,投诉,楼道漏水,2025-03-01 14:30,已解决,2025-03-02 10:00\nOLD-2,不存在的类型,电梯坏了,2025-03-01 15:00,已解决,2025-03-02 10:00\n');
    await page.locator('input[type=file]').setInputFiles(csv);
    await page.getByRole('button', { name: /^检\s*查$/ }).click();
    const table = page.getByRole('table', { name: '导入错误' }).or(page.locator('.ant-table').filter({ hasText: '未知的类型' }));
    await table.first().getByText('未知的类型「不存在的类型」').waitFor();
    await page.getByRole('button', { name: /下载错误清单（1 条）/ }).waitFor();
    await page.waitForTimeout(4000);
    await page.getByText('未知的类型「不存在的类型」').waitFor({ timeout: 1000 });
    await shot(page, 'ticket-import-errors');
    await logout();
  });

  it('defect 9: K3 in 本月 says what its pro-rata target compares, precisely enough to read the gap', async () => {
    await login('executive');
    await page.goto(`${baseUrl}/dashboard`);
    const card = page.locator('[data-kpi="k3"]');
    // The group's reports take a while on a loaded machine.
    await card.waitFor({ timeout: 60_000 });
    const text = await card.innerText();
    expect(text).toMatch(/全年 120% × 本期 \d+ 天 \/ 36[56] 天/);
    // A red gap is never "差 0.0 个百分点".
    expect(text).not.toContain('差 0.0 个百分点');
    await shot(page, 'k3-month');
    await logout();
  });
});
