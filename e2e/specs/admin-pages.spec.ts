import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseRadio, pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Admin tour: every admin page renders with the demo data, and the writes each page offers
 * work (city company, department with deactivation, common area), a stale edit is refused
 * with 412, the audit log shows before/after and its hash chain verifies.
 */
const JOURNEY = 'admin-pages';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const CITY = `E2E城市公司${suffix}`;
const DEPT = `E2E工程部${suffix}`;

let server: RunningServer | null = null;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshotter(JOURNEY);

describe('admin pages', () => {
  beforeAll(async () => {
    const baseUrl = process.env.E2E_BASE_URL ?? (server = await startServer()).baseUrl;
    browser = await launchBrowser();
    context = await newContext(browser, baseUrl);
    page = await context.newPage();
    await signIn(page, 'admin', DEMO_PASSWORD);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await shot(page, 'failed').catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('city companies: create and rename', async () => {
    await page.getByRole('menuitem', { name: '城市公司' }).click();
    await page.getByRole('row').filter({ hasText: '深圳城市公司' }).waitFor();
    await page.getByRole('button', { name: '新建城市公司' }).click();
    const dialog = page.getByRole('dialog', { name: '新建城市公司' });
    await dialog.getByLabel('名称').fill(CITY);
    await dialog.getByLabel('编码').fill('bad code');
    await dialog.getByLabel('编码').press('Enter');
    await dialog.getByText('编码只能包含字母、数字、下划线和短横线').waitFor();
    await dialog.getByLabel('编码').fill(`E2E${suffix}`);
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: `编辑 ${CITY}` }).click();
    const edit = page.getByRole('dialog', { name: '编辑城市公司' });
    await edit.getByLabel('名称').fill(`${CITY}（改）`);
    await edit.getByRole('button', { name: '保存' }).click();
    await page.getByRole('row').filter({ hasText: `${CITY}（改）` }).waitFor();
    await shot(page, 'city-companies');
  });

  it('departments: create at city level, then deactivate after confirming', async () => {
    await page.getByRole('menuitem', { name: '部门' }).click();
    await page.waitForURL('**/departments');
    await page.getByRole('button', { name: '新建部门' }).click();
    const dialog = page.getByRole('dialog', { name: '新建部门' });
    await dialog.getByLabel('部门名称').fill(DEPT);
    await pickOption(page, dialog, '类型', '工程部');
    await chooseRadio(dialog, '城市公司');
    await pickOption(page, dialog, '所属城市公司', `${CITY}（改）`);
    await shot(page, 'department-form');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: DEPT });
    await row.getByRole('button', { name: '停用' }).click();
    await page.getByRole('tooltip').getByText(`确定停用部门「${DEPT}」吗？`).waitFor();
    await page.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
    await toast(page, '部门已停用').waitFor();
    await row.getByRole('button', { name: '启用' }).waitFor();
    await shot(page, 'departments');
  });

  it('project detail: common areas and departments tabs', async () => {
    await page.getByRole('menuitem', { name: '项目' }).click();
    await page.getByRole('link', { name: '观澜府' }).click();
    await page.getByRole('tab', { name: '公共部位' }).click();
    await page.getByRole('button', { name: '新建公共部位' }).click();
    const dialog = page.getByRole('dialog', { name: '新建公共部位' });
    await dialog.getByLabel('名称').fill(`地下车库${suffix}`);
    await dialog.getByLabel('说明').fill('负一层至负二层');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('row').filter({ hasText: `地下车库${suffix}` }).waitFor();
    await shot(page, 'common-areas');
    await page.getByRole('tab', { name: '部门' }).click();
    await page.getByRole('tabpanel').getByRole('row').nth(1).waitFor();
    await shot(page, 'project-departments');
  });

  it('a stale edit is refused and the page refreshes', async () => {
    await page.getByRole('tab', { name: '楼栋与房屋' }).click();
    await page.getByRole('button', { name: '编辑项目' }).click();
    const dialog = page.getByRole('dialog', { name: '编辑项目' });
    await dialog.getByLabel('地址').waitFor();
    // Someone else saves the project in the meantime.
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    const status = await page.evaluate(async (projectId) => {
      const current = await (await fetch(`/api/projects/${projectId}`)).json();
      const res = await fetch(`/api/projects/${projectId}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', 'If-Match': `"${current.version}"` },
        body: JSON.stringify({ address: `${current.address}（他人修改）` }),
      });
      return res.status;
    }, id);
    expect(status).toBe(200);
    await dialog.getByLabel('项目名称').fill('观澜府');
    await dialog.getByRole('button', { name: '保存' }).click();
    await toast(page, '数据已被他人修改，请刷新后重试').waitFor();
    await shot(page, 'stale-edit');
    await dialog.getByRole('button', { name: '取消' }).click();
    await page.getByText('（他人修改）').waitFor();
  });

  it('users: filter by role', async () => {
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await pickOption(page, page, '角色', '客服经理');
    await page.getByRole('row').filter({ hasText: 'manager' }).first().waitFor();
    await page.waitForURL(/role=manager/);
    await shot(page, 'users-managers');
    await page.getByRole('button', { name: '重置密码 manager', exact: true }).click();
    await page.getByRole('dialog', { name: /重置「/ }).waitFor();
    await shot(page, 'reset-password');
    await page.getByRole('dialog', { name: /重置「/ }).getByRole('button', { name: '取消' }).click();
    await page.getByRole('button', { name: '编辑 manager', exact: true }).click();
    await page.getByRole('dialog', { name: /编辑用户/ }).getByLabel('姓名').waitFor();
    await shot(page, 'user-edit');
    await page.keyboard.press('Escape');
  });

  it('audit log: entries with before/after, the hash chain verifies', async () => {
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.waitForURL('**/audit');
    await page.getByRole('row').filter({ hasText: '修改项目' }).first().waitFor();
    await page.getByRole('row').filter({ hasText: '修改项目' }).first().getByRole('button', { name: /展开/ }).click();
    await page.getByText('修改前').first().waitFor();
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await page.getByText(/哈希链完整，已校验 \d+ 条记录/).waitFor();
    await shot(page, 'audit');
  });

  it('outbox and the 404 page render', async () => {
    await page.getByRole('menuitem', { name: '消息外发' }).click();
    await page.waitForURL('**/outbox');
    await page.getByRole('heading', { name: '消息外发' }).waitFor();
    await shot(page, 'outbox');
    await page.goto('/no-such-page');
    await page.getByText('抱歉，您访问的页面不存在。').waitFor();
    await shot(page, 'not-found');
  });
});
