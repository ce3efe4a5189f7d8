import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseRadio, pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, REPO_ROOT, startServer, type RunningServer } from '../harness/server.js';

/**
 * Single window (issue 4, M1 S1 S2 S3): a simulated incoming call pops the customer on the
 * agent's screen, the agent registers a complaint from the pop and dispatches it, the
 * department handler accepts and completes it in their queue, the agent replies to the
 * customer and resolves it, and the ticket shows resolved. Then the pages around it: the
 * supervisor's team queue and K1, the admin's categories, SLA policies and working calendar.
 */
const JOURNEY = 'single-window';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
/** The shared secret the test signs CTI events with (the server gets it from the environment). */
const CTI_SECRET = `e2e-cti-secret-${suffix}-0123456789abcdefghij`;
const DESCRIPTION = `卫生间天花板漏水，楼上邻居说没有用水，请尽快处理（E2E${suffix}）`;
const CALL_ID = `e2e-call-${suffix}`;

let server: RunningServer | null = null;
let baseUrl = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshotter(JOURNEY);

/** The customer the call comes from: a real owner of 观澜府 from the demo data. */
const caller = { phone: '', masked: '', name: '', unit: '' };
let ticketNumber = '';
let agentName = '';

type Signer = (secret: string, body: string, t: number) => string;
let signCtiBody: Signer;

/** An API session of a demo user, for the test's setup (not the journey itself). */
async function apiSession(username: string) {
  const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', Origin: baseUrl };
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status).toBe(200);
  const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? '']).map((c) => c.split(';')[0]).join('; ');
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}${path}`, { method, headers: { ...headers, Cookie: cookie }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return { get: <T>(path: string) => call<T>('GET', path), post: <T>(path: string, body: unknown) => call<T>('POST', path, body) };
}

/** Posts one CTI event as the telephony system would: signed with the shared secret. */
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
  await signIn(page, username, DEMO_PASSWORD);
}

async function logout(): Promise<void> {
  await page.getByRole('button', { name: '用户菜单' }).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL('**/login');
}

const menu = () => page.getByRole('menu').first();
/** A sider entry by its label (the accessible name starts with the icon's name: "home 工作台"). */
const menuItem = (label: string) => menu().getByRole('menuitem', { name: new RegExp(`(^|\\s)${label}$`) });
const statusTag = (text: string) => page.locator('.ant-tag').filter({ hasText: new RegExp(`^${text}$`) }).first();

describe('single window journey', () => {
  beforeAll(async () => {
    ({ signCtiBody } = (await import(pathToFileURL(join(REPO_ROOT, 'apps/server/dist/modules/hotline/cti.signature.js')).href)) as { signCtiBody: Signer });
    if (process.env.E2E_BASE_URL) throw new Error('the single-window journey signs CTI events with its own secret: run it against its own server');
    server = await startServer({ CTI_SECRET });
    baseUrl = server.baseUrl;

    // A real 观澜府 owner whose number nobody else shares, in full (revealed for the test, audited).
    const agent = await apiSession('agent');
    const projects = await agent.get<{ items: { id: string; name: string }[] }>('/api/projects?pageSize=50');
    const glf = projects.items.find((p) => p.name === '观澜府')!;
    const list = await agent.get<{ items: { id: string; name: string; units: { projectName: string; unitLabel: string }[] }[] }>(
      `/api/customers?projectId=${glf.id}&kind=owner&pageSize=30`,
    );
    for (const c of list.items.filter((x) => x.units.length === 1)) {
      const detail = await agent.get<{ phones: { phone: string; isPrimary: boolean; sharedWith: number }[] }>(`/api/customers/${c.id}`);
      const primary = detail.phones.find((p) => p.isPrimary);
      if (!primary || primary.sharedWith > 0) continue;
      const revealed = await agent.post<{ phones: { phone: string }[] }>(`/api/customers/${c.id}/reveal`, { field: 'phones', reason: '浏览器测试模拟来电' });
      caller.phone = revealed.phones[0]!.phone.replace(/^\+86/, '');
      caller.masked = primary.phone.replace(/^\+86/, '');
      caller.name = c.name;
      caller.unit = c.units[0]!.unitLabel;
      break;
    }
    expect(caller.phone).toMatch(/^1\d{10}$/);

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

  it('the agent signs in to the workbench', async () => {
    await login('agent');
    agentName = ((await page.getByRole('heading', { name: /您好/ }).innerText()).split('，')[1] ?? '').trim();
    for (const item of ['工作台', '热线控制台', '工单']) await menuItem(item).waitFor();
    expect(await menuItem('派工单').count()).toBe(0);
    await page.getByRole('tab', { name: /我的待办/ }).waitFor();
    await page.getByRole('tab', { name: /回电任务/ }).waitFor();
    await shot(page, 'workbench');
  });

  it('an incoming call pops the customer on any page, and in the hotline console', async () => {
    // The pop reaches the agent through the live event stream on whatever page is open.
    await ctiEvent({ event: 'ringing', callId: CALL_ID, caller: caller.phone, called: '4008001234', extension: '8001' });
    const pop = page.locator('.ant-notification-notice').filter({ hasText: caller.masked });
    await pop.waitFor({ timeout: 5_000 });
    expect(await pop.innerText()).toContain(caller.name);
    await shot(page, 'call-notification');

    await pop.getByRole('button', { name: '打开热线控制台' }).click();
    await page.waitForURL('**/hotline');
    // The status shows the live call, not "waiting" (issue #18 defect 1).
    await page.getByText(/^振铃中：/).waitFor();
    const panel = page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: caller.masked }) }).first();
    await panel.getByRole('link', { name: caller.name }).waitFor();
    await panel.getByText(caller.unit).first().waitFor();
    await panel.getByText('振铃中').waitFor();

    await ctiEvent({ event: 'answered', callId: CALL_ID, extension: '8001' });
    await panel.getByText('通话中').waitFor();
    await panel.getByText('最近联系').waitFor();
    await shot(page, 'hotline-screen-pop');
  });

  it('the agent registers a complaint from the pop', async () => {
    await page.getByRole('button', { name: '登记工单' }).first().click();
    await page.waitForURL(/\/tickets\/new\?/);
    await page.getByRole('heading', { name: '登记工单' }).waitFor();
    await page.getByText(`来电 ${caller.masked}`).waitFor();
    // Pre-filled from the call: the customer, their home and its project, the hotline channel.
    await page.locator('.ant-select-content').filter({ hasText: caller.name }).first().waitFor();
    await page.locator('.ant-select-content').filter({ hasText: caller.unit }).first().waitFor();
    await page.locator('.ant-select-content').filter({ hasText: '观澜府' }).first().waitFor();

    // No default type (issue #18 defect 2): the agent chooses it.
    await chooseRadio(page, '投诉');
    await page.getByLabel('分类').click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: '工程质量' }).first().click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: '渗漏' }).first().click();
    await page.getByLabel('问题描述').fill(DESCRIPTION);
    await shot(page, 'register-form');
    await page.getByLabel('问题描述').press('Control+Enter');

    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    const created = toast(page, /已登记工单 KS\d{8}-\d{4}/);
    await created.waitFor();
    ticketNumber = /KS\d{8}-\d{4}/.exec(await created.innerText())![0];
    await page.getByRole('heading', { name: ticketNumber }).waitFor();
    await statusTag('已登记').waitFor();
    await page.getByText('工程质量 › 渗漏').waitFor();
    await page.getByText(DESCRIPTION).waitFor();
    // S2: the registering agent is the first-contact owner.
    const owner = page.locator('.ant-descriptions-item').filter({ hasText: '首问责任人' });
    expect(await owner.innerText()).toContain(agentName);
    await page.getByRole('link', { name: caller.name }).waitFor();
    await page.getByText('热线来电登记').waitFor();
    await shot(page, 'ticket-registered');
  });

  it('the agent dispatches it to the engineering department with a deadline', async () => {
    await page.getByRole('toolbar').getByRole('button', { name: '派单', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /派单/ });
    await pickOption(page, dialog, '处理部门', '深圳工程部');
    await dialog.getByLabel('派单说明').fill('请联系业主上门查看卫生间天花板渗漏，查明楼上防水情况');
    await dialog.getByRole('button', { name: '4 小时', exact: true }).click();
    await shot(page, 'dispatch-form');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await statusTag('已派单').waitFor();
    const wo = page.locator('.ant-card').filter({ hasText: '深圳工程部' }).filter({ hasText: '待接单' }).first();
    await wo.waitFor();
    await shot(page, 'ticket-dispatched');
    await logout();
  });

  it('the handler accepts and completes it in the department queue', async () => {
    await login('handler');
    await menuItem('派工单').waitFor();
    expect(await menuItem('工单').count()).toBe(0);
    expect(await menuItem('热线控制台').count()).toBe(0);
    expect(await menuItem('项目').count()).toBe(0);
    await shot(page, 'handler-home');

    await menuItem('派工单').click();
    await page.waitForURL('**/work-orders');
    const row = page.getByRole('row').filter({ hasText: ticketNumber });
    await row.waitFor();
    expect(await row.innerText()).toContain('待接单');
    await shot(page, 'work-order-queue');

    await row.getByRole('link', { name: ticketNumber }).click();
    await page.waitForURL(/\/work-orders\/[0-9a-f-]{36}$/);
    await page.getByText('请联系业主上门查看卫生间天花板渗漏').waitFor();
    // The handler sees the work, never the customer's contact details.
    expect(await page.getByText(caller.masked).count()).toBe(0);
    await page.getByRole('button', { name: '接单' }).click();
    await toast(page, '已接单').waitFor();
    await statusTag('处理中').waitFor();

    await page.getByRole('button', { name: '报告进展' }).click();
    const progress = page.getByRole('dialog', { name: /报告进展/ });
    await progress.getByLabel('进展').fill('已约业主今天下午上门查看');
    await progress.getByRole('button', { name: '报告进展' }).click();
    await progress.waitFor({ state: 'hidden' });
    await page.getByText('已约业主今天下午上门查看').waitFor();

    await page.getByRole('button', { name: '反馈结果' }).click();
    const complete = page.getByRole('dialog', { name: /反馈处理结果/ });
    await complete.getByLabel('处理结果').fill('楼上卫生间防水层破损，已重做防水并修补天花板，业主确认不再渗水');
    await shot(page, 'work-order-complete-form');
    await complete.getByRole('button', { name: '反馈结果' }).click();
    await complete.waitFor({ state: 'hidden' });
    await statusTag('已完成').waitFor();
    await page.getByText('楼上卫生间防水层破损').first().waitFor();
    await shot(page, 'work-order-completed');
    await logout();
  });

  it('the agent replies to the customer and the ticket shows resolved', async () => {
    await login('agent');
    const row = page.getByRole('row').filter({ hasText: ticketNumber });
    await row.waitFor();
    expect(await row.innerText()).toContain('已反馈');
    await shot(page, 'workbench-result-returned');
    await row.getByRole('link', { name: ticketNumber }).click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await statusTag('已反馈').waitFor();
    await page.getByText('楼上卫生间防水层破损').first().waitFor();

    await page.getByRole('toolbar').getByRole('button', { name: '答复客户' }).click();
    const reply = page.getByRole('dialog', { name: /答复客户/ });
    await reply.getByLabel('答复内容').fill('您好，楼上防水层已重做，天花板已修补，如仍有渗水请随时来电，我们会第一时间处理。');
    await shot(page, 'reply-form');
    await reply.getByRole('button', { name: '确定' }).click();
    await reply.waitFor({ state: 'hidden' });
    await statusTag('已答复').waitFor();

    await page.getByRole('toolbar').getByRole('button', { name: '标记解决' }).click();
    const resolve = page.getByRole('dialog', { name: /标记解决/ });
    await resolve.getByLabel('解决说明').fill('已修复渗漏，业主认可处理结果');
    await resolve.getByRole('button', { name: '确定' }).click();
    await resolve.waitFor({ state: 'hidden' });
    await statusTag('已解决').waitFor();
    // The SLA panel shows the resolution deadline met; the timeline holds every step.
    await page.getByText(/已于 .* 达成/).first().waitFor();
    const timeline = page.locator('.ant-card').filter({ hasText: '处理记录' });
    for (const step of ['登记工单', '派单', '部门接单', '部门反馈结果', '答复客户', '标记解决']) await timeline.getByText(step, { exact: true }).first().waitFor();
    await page.getByRole('button', { name: '关闭', exact: true }).waitFor();
    await shot(page, 'ticket-resolved');

    await ctiEvent({ event: 'ended', callId: CALL_ID });
    await menuItem('热线控制台').click();
    await page.getByText('已接听').first().waitFor();
    await shot(page, 'hotline-after-call');
    await logout();
  });

  it('a missed call becomes a call-back task on the workbench', async () => {
    const missed = `e2e-missed-${suffix}`;
    await ctiEvent({ event: 'ringing', callId: missed, caller: '13900001234', called: '4008001234', extension: '8001' });
    await ctiEvent({ event: 'ended', callId: missed, missed: true });
    await login('agent');
    await page.getByRole('tab', { name: /回电任务/ }).click();
    const row = page.getByRole('row').filter({ hasText: '139****1234' });
    await row.waitFor();
    await shot(page, 'workbench-call-backs');
    await row.getByRole('button', { name: '完成回拨' }).click();
    const dialog = page.getByRole('dialog', { name: '完成回拨' });
    await dialog.getByLabel('回拨结果').fill('已回拨，客户咨询交房时间，已当场答复');
    await dialog.getByRole('button', { name: '完成回拨' }).click();
    await toast(page, '已完成回拨').waitFor();
    await row.waitFor({ state: 'detached' });
    await logout();
  });

  it('the supervisor sees the team queue and K1 with the complaints behind it', async () => {
    await login('supervisor');
    await page.getByRole('tab', { name: /团队工单/ }).click();
    await page.getByRole('table').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'supervisor-team');

    // 工单: the filters live in the address and narrow the list to the resolved ticket.
    await menuItem('工单').click();
    await page.waitForURL('**/tickets');
    const rows = page.getByRole('table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await pickOption(page, page, '状态', '已解决');
    await page.waitForURL(/status=resolved/);
    await page.getByLabel('编号、标题、描述或客户姓名').fill(ticketNumber);
    await page.getByLabel('编号、标题、描述或客户姓名').press('Enter');
    await page.waitForURL(new RegExp(`q=${ticketNumber}`));
    // The previous rows stay on screen while the filtered page loads: wait for its foot.
    await page.getByText('共 1 条').waitFor();
    await rows.filter({ hasText: ticketNumber }).waitFor();
    expect(await rows.count()).toBe(1);
    await shot(page, 'tickets-filtered');

    await menuItem('K1 及时率').click();
    await page.waitForURL('**/kpis/k1');
    await page.getByText('投诉明细').waitFor();
    await page.getByRole('table').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'k1');
    await page.getByRole('button', { name: /^超时 \d+$/ }).click();
    await page.waitForURL(/verdict=late/);
    await shot(page, 'k1-late');
    await logout();
  });

  it('the admin edits categories, publishes an SLA policy version and sets a local closure', async () => {
    await login('admin');
    await menuItem('工单分类').click();
    await page.waitForURL('**/settings/ticket-categories');
    await page.getByRole('row').filter({ hasText: '渗漏' }).waitFor();
    await page.getByRole('row').filter({ hasText: '工程质量' }).first().getByRole('button', { name: '新建子分类' }).click();
    const cat = page.getByRole('dialog', { name: /新建分类/ });
    await cat.getByLabel('分类名称').fill(`外墙脱落${suffix}`);
    await cat.getByRole('button', { name: '保存' }).click();
    await cat.waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: `外墙脱落${suffix}` }).waitFor();
    await shot(page, 'categories');

    await menuItem('时限政策').click();
    await page.waitForURL('**/settings/sla-policies');
    await page.getByRole('button', { name: '编辑 投诉常规' }).click();
    const policy = page.getByRole('dialog', { name: /编辑时限政策/ });
    await policy.getByLabel('解决时限').fill('48');
    await shot(page, 'sla-policy-form');
    await policy.getByRole('button', { name: '发布新版本' }).click();
    await toast(page, '已发布第 2 版').waitFor();
    const row = page.getByRole('row').filter({ hasText: '48 小时' });
    await row.waitFor();
    await row.getByRole('button', { name: '历史版本' }).click();
    const drawer = page.getByRole('dialog', { name: /历史版本/ });
    await drawer.getByRole('cell', { name: '24 小时' }).waitFor();
    await shot(page, 'sla-policy-history');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await menuItem('工作日历').click();
    await page.waitForURL('**/settings/calendar');
    await page.getByRole('row').filter({ hasText: '国庆节' }).first().waitFor();
    await shot(page, 'calendar');
    await page.getByRole('button', { name: '添加本地设置' }).click();
    const day = page.getByRole('dialog', { name: '添加本地放假或上班日' });
    await day.getByLabel('日期').fill('2026-12-24');
    await day.getByLabel('日期').press('Enter');
    await day.getByLabel('名称').fill(`台风停工${suffix}`);
    await day.getByRole('button', { name: '保存' }).click();
    await day.waitFor({ state: 'hidden' });
    const local = page.getByRole('row').filter({ hasText: `台风停工${suffix}` });
    await local.waitFor();
    expect(await local.innerText()).toContain('本地');
    await shot(page, 'calendar-local-closure');
    await local.getByRole('button', { name: '删除' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
    await toast(page, '已恢复官方日历').waitFor();
    await local.waitFor({ state: 'detached' });
    await logout();
  });
});
