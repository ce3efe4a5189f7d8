import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Owner archive journey (issue 3, M3/D3/K4/S1): an agent finds an owner by the last four
 * digits of a phone, opens the 360 view, reveals the phone for a reason, fills the missing
 * archive fields, confirms the archive with the customer, and sees the archive rate (K4) of
 * the project go up by one. Then a supervisor imports buyers (column mapping, dry run with row
 * errors, valid rows only) and exports full phones with a reason (a manager approves the bulk export,
 * only the supervisor downloads), and an admin sets the archive and privacy rules.
 */
const JOURNEY = 'owner-archive';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const PROJECT = '观澜府';
/** Mobile numbers of this run (so that a reused server's earlier runs do not share them). */
const randomMobile = (prefix: string) => `${prefix}${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const BUYER_PHONE = randomMobile('137');
const SPOUSE_PHONE = randomMobile('139');
/** Archive fields this journey knows how to fill in the UI. */
const FILLABLE = ['id_number', 'contract_no', 'email', 'address', 'wechat_id'];

let server: RunningServer | null = null;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let baseUrl: string;
const shot = screenshotter(JOURNEY);
const tempFiles: string[] = [];

interface Target {
  id: string;
  name: string;
  last4: string;
  missing: string[];
}
let target: Target;
let numeratorBefore = 0;

/** A valid, random resident ID number (GB 11643 check character), unlike any in the demo data. */
function randomIdNumber(): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const birth = new Date(Date.UTC(1955 + Math.floor(Math.random() * 45), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28)));
  const body = `110105${birth.getUTCFullYear()}${pad(birth.getUTCMonth() + 1, 2)}${pad(birth.getUTCDate(), 2)}${pad(Math.floor(Math.random() * 1000), 3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

/** Signs in through the API (for the test setup only). */
async function apiAs(username: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { 'X-Requested-With': 'XMLHttpRequest' } });
  const res = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return api;
}

/**
 * An owner of 观澜府 whose archive is current but incomplete only in fields the UI fills,
 * preferably lacking both the ID number and a contract number.
 */
async function findTarget(api: APIRequestContext, projectId: string): Promise<Target> {
  const candidates: Target[] = [];
  for (let p = 1; p <= 5 && candidates.length < 40; p++) {
    const list = await (await api.get('/api/customers', { params: { archive: 'incomplete', projectId, page: p, pageSize: 50 } })).json();
    for (const s of list.items as { id: string; phone: string | null; archiveCurrent: boolean; units: { relation: string }[] }[]) {
      if (!s.phone || !s.archiveCurrent || !s.units.some((u) => ['owner', 'co_owner', 'prospective_owner'].includes(u.relation))) continue;
      const c = await (await api.get(`/api/customers/${s.id}`)).json();
      if (!c.archive.missing.length || !c.archive.missing.every((f: string) => FILLABLE.includes(f))) continue;
      candidates.push({ id: c.id, name: c.name, last4: s.phone.slice(-4), missing: c.archive.missing });
    }
    if (list.items.length < 50) break;
  }
  const best = candidates.find((c) => c.missing.includes('id_number') && c.missing.includes('contract_no')) ?? candidates[0];
  if (!best) throw new Error('no demo owner with fillable archive gaps');
  return best;
}

async function login(username: string): Promise<void> {
  await signIn(page, username, DEMO_PASSWORD);
}

async function logout(): Promise<void> {
  await page.getByRole('button', { name: '用户菜单' }).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL('**/login');
}

/** The number a K4 count button shows, from its accessible name (完整且有效：123). */
async function countOf(scope: Locator, label: string): Promise<number> {
  const name = await scope.getByRole('button', { name: new RegExp(`${label}：\\d+`) }).first().getAttribute('aria-label');
  return Number(/：(\d+)$/.exec(name ?? '')?.[1] ?? NaN);
}

function projectRow(): Locator {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: PROJECT, exact: true }) });
}

function writeCsv(name: string, rows: string[][]): string {
  const file = join(tmpdir(), `${name}-${suffix}.csv`);
  tempFiles.push(file);
  writeFileSync(file, `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
  return file;
}

describe('owner archive journey', () => {
  beforeAll(async () => {
    // Approval threshold 0: the supervisor's one-customer export of full phones needs a manager.
    baseUrl = process.env.E2E_BASE_URL ?? (server = await startServer({ EXPORT_APPROVAL_ROWS: '0' })).baseUrl;
    const api = await apiAs('agent');
    const projects = await (await api.get('/api/projects')).json();
    const project = (projects.items as { id: string; name: string }[]).find((p) => p.name === PROJECT);
    if (!project) throw new Error(`${PROJECT} is not in the agent's scope`);
    target = await findTarget(api, project.id);
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
    for (const f of tempFiles) rmSync(f, { force: true });
  });

  it('the agent sees the archive menu and the archive rate of the project', async () => {
    await login('agent');
    const menu = page.getByRole('menu').first();
    for (const item of ['工作台', '客户档案', '档案完整率', '项目']) await menu.getByRole('menuitem', { name: item }).waitFor();
    expect(await menu.getByRole('menuitem', { name: '档案规则' }).count()).toBe(0);
    await shot(page, 'home-agent');

    await menu.getByRole('menuitem', { name: '档案完整率' }).click();
    await page.waitForURL('**/archive-rate');
    await projectRow().waitFor();
    numeratorBefore = await countOf(projectRow(), `${PROJECT} 完整且有效`);
    const denominator = await countOf(projectRow(), `${PROJECT} 范围内客户`);
    expect(numeratorBefore).toBeGreaterThanOrEqual(0);
    expect(denominator).toBeGreaterThan(numeratorBefore);
    await shot(page, 'archive-rate-before');

    // The records behind 未达标 list the customers whose archive is not yet complete and current.
    await projectRow().getByRole('button', { name: /未达标：\d+/ }).click();
    const drawer = page.getByRole('dialog', { name: `未达标 · ${PROJECT}` });
    await drawer.getByRole('link').first().waitFor();
    await shot(page, 'archive-rate-records');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('the agent finds the owner by the last four digits of a phone', async () => {
    await page.getByRole('menu').first().getByRole('menuitem', { name: '客户档案' }).click();
    await page.waitForURL('**/customers');
    await page.getByRole('table').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'customers');

    const search = page.getByLabel('查找客户');
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await search.fill(target.last4);
    await search.press('Enter');
    await page.waitForURL(new RegExp(`/customers\\?q=${target.last4}$`));
    const link = page.getByRole('link', { name: target.name, exact: true });
    await link.first().waitFor();
    await shot(page, 'search-last4');

    await link.first().click();
    await page.waitForURL(`**/customers/${target.id}`);
    await page.getByRole('heading', { name: target.name }).waitFor();
    await page.getByText('档案不完整').waitFor();
    await shot(page, 'customer-360');
  });

  it('the agent reveals the phone numbers with a reason', async () => {
    await page.getByRole('button', { name: '查看完整号码' }).click();
    const dialog = page.getByRole('dialog', { name: '查看完整电话号码' });
    await dialog.getByRole('button', { name: '查看', exact: true }).click();
    await dialog.getByText('请输入查看原因').waitFor();
    await dialog.getByRole('button', { name: '回拨客户电话' }).click();
    await shot(page, 'reveal-reason');
    await dialog.getByRole('button', { name: '查看', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(new RegExp(`^1\\d{6}${target.last4}$`)).first().waitFor();
    await page.getByText('完整信息仅在本页面临时显示').first().waitFor();
    await shot(page, 'phones-revealed');
    await page.getByRole('button', { name: '隐藏' }).first().click();
    await page.getByText(new RegExp(`^1\\d{2}\\*{4}${target.last4}$`)).first().waitFor();
  });

  it('the agent fills the missing archive fields from the archive card', async () => {
    const gaps = page.getByRole('group', { name: /缺少以下必填信息/ });
    for (const field of target.missing) {
      if (field === 'contract_no') {
        await gaps.getByRole('button', { name: /合同编号/ }).click();
        const modal = page.getByRole('dialog', { name: /修改房屋关系/ });
        const input = modal.getByLabel('合同编号');
        await input.waitFor();
        await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
        await input.fill(`HT-E2E-${suffix}`);
        await shot(page, 'unit-link-contract');
        await modal.getByRole('button', { name: '保存' }).click();
        await modal.waitFor({ state: 'hidden' });
        await toast(page, '保存成功').waitFor();
        continue;
      }
      const labels: Record<string, string> = { id_number: '身份证号', email: '邮箱', address: '通讯地址', wechat_id: '微信号' };
      await gaps.getByRole('button', { name: new RegExp(labels[field]!) }).click();
      const drawer = page.getByRole('dialog', { name: `编辑客户：${target.name}` });
      const input = drawer.getByLabel(labels[field]!, { exact: true });
      await input.waitFor();
      await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
      if (field === 'id_number') {
        // A mistyped check character is caught before saving.
        const id = randomIdNumber();
        const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
        await input.fill(wrong);
        await input.blur();
        await drawer.getByText('身份证号校验位不正确，请核对').waitFor();
        await shot(page, 'id-number-checksum');
        await input.fill(id);
        await drawer.getByText('格式与校验位正确').waitFor();
      } else if (field === 'email') {
        await input.fill(`owner${suffix.toLowerCase()}@example.com`);
      } else if (field === 'address') {
        await input.fill('深圳市龙华区观澜大道 188 号');
      } else {
        await input.fill(`wx_${suffix.toLowerCase()}`);
      }
      await shot(page, `edit-${field.replace('_', '-')}`);
      await drawer.getByRole('button', { name: '保存' }).click();
      await drawer.waitFor({ state: 'hidden' });
      await toast(page, '客户档案已保存').waitFor();
    }
    await page.getByText('档案完整', { exact: true }).waitFor();
    await page.getByText('必填信息已齐全').waitFor();
    await shot(page, 'archive-complete');

    // Nobody may reveal ID numbers by default: the server says so in /api/auth/me, so there is no button.
    expect(await page.getByRole('button', { name: '查看完整证件号' }).count()).toBe(0);
  });

  it('the agent confirms the archive with the customer', async () => {
    await page.getByRole('button', { name: '确认档案' }).click();
    const dialog = page.getByRole('dialog', { name: '确认档案' });
    const ok = dialog.getByRole('button', { name: '确认档案' });
    expect(await ok.isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: '已与客户核实档案信息' }).check();
    await shot(page, 'confirm-archive');
    await ok.click();
    await dialog.waitFor({ state: 'hidden' });
    await toast(page, '档案已确认').waitFor();
    await page.getByText('与客户核实并确认档案').waitFor();
    await page.getByText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}（段晓东）/).waitFor();
    await shot(page, 'archive-confirmed');
  });

  it('the archive rate of the project counts the owner now', async () => {
    await page.getByRole('menu').first().getByRole('menuitem', { name: '档案完整率' }).click();
    await page.waitForURL('**/archive-rate');
    await projectRow().waitFor();
    await expect.poll(() => countOf(projectRow(), `${PROJECT} 完整且有效`)).toBe(numeratorBefore + 1);
    await shot(page, 'archive-rate-after');
    await logout();
  });

  it('a supervisor imports buyers: column mapping, dry run with row errors, valid rows only', async () => {
    await login('supervisor');
    await page.goto('/customers');
    await page.getByRole('button', { name: /导入$/ }).click();
    const dialog = page.getByRole('dialog', { name: '导入客户' });
    const buyer = `导入客户${suffix}`;
    const file = writeCsv('buyers', [
      ['购房人', '手机号', '身份证号', '楼栋', '单元', '房号', '合同编号', '签约日期'],
      [buyer, BUYER_PHONE, randomIdNumber(), '1栋', '1单元', '201', `HT-IMP-${suffix}`, '2026-01-15'],
      [`坏数据${suffix}`, '12345', '110105194912310021', '1栋', '1单元', '9999', '', '2026-13-01'],
    ]);
    await pickOption(page, dialog, '导入到项目', PROJECT);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog.getByRole('button', { name: '选择文件' }).click()]);
    await chooser.setFiles(file);
    // 购房人 is not a header the server knows: the mapping opens by itself.
    await pickOption(page, dialog, '文件中的列 姓名', '购房人');
    await shot(page, 'import-mapping');

    await dialog.getByRole('button', { name: '校验' }).click();
    await dialog.getByText(/1 行有错误/).waitFor();
    expect(await dialog.getByRole('button', { name: '导入', exact: true }).isDisabled()).toBe(true);
    await dialog.getByText('「12345」不是有效的电话号码').waitFor();
    await shot(page, 'import-dry-run');

    await dialog.getByRole('button', { name: '仅导入正确的行' }).click();
    await toast(page, /导入完成：新建 1 位客户/).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByLabel('查找客户').fill(buyer);
    await page.getByLabel('查找客户').press('Enter');
    await page.getByRole('link', { name: buyer }).waitFor();
    await shot(page, 'imported-customer');
  });

  it('a supervisor exports the found customers with full phones for a reason; a manager approves; only the supervisor downloads', async () => {
    await page.getByRole('button', { name: /导出$/ }).click();
    const dialog = page.getByRole('dialog', { name: '导出客户' });
    await dialog.getByText('导出 1 位客户').waitFor();
    await dialog.getByRole('checkbox', { name: '导出完整手机号' }).check();
    await dialog.getByLabel('原因').fill('短信');
    await dialog.getByRole('button', { name: '导出', exact: true }).click();
    await dialog.getByText('请填写导出原因（至少 4 个字）').first().waitFor();
    await dialog.getByLabel('原因').fill('交付活动短信通知名单');
    await shot(page, 'export');
    await dialog.getByRole('button', { name: '导出', exact: true }).click();
    await toast(page, /已提交审批/).waitFor();
    const drawer = page.getByRole('dialog', { name: '导出任务' });
    await drawer.getByText('待审批').first().waitFor();
    await shot(page, 'export-awaiting');
    await drawer.getByRole('button', { name: /close|关闭/i }).first().click();
    await drawer.waitFor({ state: 'hidden' });
    await logout();

    await login('manager');
    await page.getByRole('button', { name: '导出任务' }).click();
    const approvals = page.getByRole('dialog', { name: '导出任务' });
    await approvals.getByRole('tab', { name: /待我审批/ }).click();
    await approvals.getByText('交付活动短信通知名单').waitFor();
    await shot(page, 'export-approval');
    await approvals.getByRole('button', { name: '批准' }).click();
    await page.getByRole('tooltip').getByLabel('审批意见').fill('仅限本次交付通知');
    await page.getByRole('tooltip').getByRole('button', { name: '批准' }).click();
    await toast(page, '已批准，正在生成').waitFor();
    expect(await approvals.getByRole('button', { name: '下载' }).count()).toBe(0);
    await approvals.getByRole('button', { name: /close|关闭/i }).first().click();
    await approvals.waitFor({ state: 'hidden' });
    await logout();

    await login('supervisor');
    await page.goto('/customers');
    await page.getByRole('button', { name: '导出任务' }).click();
    const mine = page.getByRole('dialog', { name: '导出任务' });
    await mine.getByText('已完成').first().waitFor({ timeout: 20_000 });
    await mine.getByText(/审批人：.*仅限本次交付通知/).first().waitFor();
    await shot(page, 'export-done');
    const [download] = await Promise.all([page.waitForEvent('download'), mine.getByRole('button', { name: '下载' }).first().click()]);
    expect(download.suggestedFilename()).toBe('客户档案.xlsx');
    await mine.getByRole('button', { name: /close|关闭/i }).first().click();
    await mine.waitFor({ state: 'hidden' });
  });

  it('a supervisor registers a customer with two phones and a home, and merges the imported duplicate', async () => {
    const person = `新建客户${suffix}`;
    const buyer = `导入客户${suffix}`;
    await page.getByRole('button', { name: /新建客户$/ }).click();
    const drawer = page.getByRole('dialog', { name: '新建客户' });
    await drawer.getByLabel('姓名').fill(person);
    await pickOption(page, drawer, '所属项目', PROJECT);
    await drawer.getByLabel('电话号码 1').fill(BUYER_PHONE);
    await drawer.getByRole('button', { name: '添加电话' }).click();
    await drawer.getByLabel('电话号码 2').fill(BUYER_PHONE);
    await drawer.getByLabel('备注 2').fill('配偶');
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.getByText('电话号码重复').first().waitFor();
    await drawer.getByLabel('电话号码 2').fill(SPOUSE_PHONE);
    await drawer.getByLabel('标签').fill('装修中');
    await drawer.getByLabel('标签').press('Enter');
    await shot(page, 'customer-form');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: person }).waitFor();
    // The first number is also the imported buyer's: flagged, not refused.
    await page.getByText('共用 1').waitFor();

    await page.getByRole('button', { name: '关联房屋' }).click();
    const link = page.getByRole('dialog', { name: '关联房屋' });
    await pickOption(page, link, '房屋', '1栋1单元202', '1栋1单元202');
    await link.getByLabel('合同编号').fill(`HT-NEW-${suffix}`);
    await shot(page, 'unit-link-add');
    await link.getByRole('button', { name: '保存' }).click();
    await toast(page, '已关联房屋').waitFor();
    await page.getByRole('cell', { name: /^1栋1单元202/ }).first().waitFor();
    await shot(page, 'new-customer-360');

    await page.getByRole('button', { name: '合并重复客户' }).click();
    const merge = page.getByRole('dialog', { name: '合并重复客户' });
    await pickOption(page, merge, '要合并进来的重复客户', buyer, buyer);
    await merge.getByText('保留（当前客户）').waitFor();
    await shot(page, 'merge');
    await merge.getByRole('button', { name: '确认合并' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '确认合并' }).click();
    await toast(page, '已合并').waitFor();
    await page.getByText(`合并重复客户「${buyer}」`).waitFor();
    // The buyer's home came along; the shared number is now the customer's own.
    await page.getByRole('cell', { name: /^1栋1单元201/ }).first().waitFor();
    await expect.poll(() => page.getByText('共用 1').count()).toBe(0);

    await page.getByRole('button', { name: '结束关系 1栋1单元202' }).click();
    const end = page.getByRole('dialog', { name: /结束房屋关系/ });
    await shot(page, 'end-relation');
    await end.getByRole('button', { name: '结束关系' }).click();
    await toast(page, '房屋关系已结束').waitFor();
    await page.getByRole('checkbox', { name: /显示已结束的关系/ }).check();
    await page.getByText('已结束', { exact: true }).waitFor();
    await shot(page, 'merged-customer-360');
    await logout();
  });

  it('an admin sets the archive rules and who may reveal personal data', async () => {
    await login('admin');
    const menu = page.getByRole('menu').first();
    await menu.getByRole('menuitem', { name: '档案规则' }).click();
    await page.waitForURL('**/settings/archive-rules');
    const box = page.getByRole('checkbox', { name: '其他·邮箱' });
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await shot(page, 'archive-rules');
    await page.getByRole('button', { name: '保存' }).click();
    await toast(page, '档案规则已保存').waitFor();

    await menu.getByRole('menuitem', { name: '个人信息权限' }).click();
    await page.waitForURL('**/settings/privacy');
    const quota = page.getByLabel('每人每日查看次数上限');
    await quota.waitFor();
    await quota.fill('80');
    await shot(page, 'privacy');
    await page.getByRole('button', { name: '保存' }).click();
    await toast(page, '个人信息权限已保存').waitFor();
  });
});
