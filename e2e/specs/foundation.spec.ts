import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseRadio, pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Foundation journey: log in as admin, create a project, a building and units (by form and
 * by import), create a staff user with a project scope, log in as that user and see only
 * that project, log out.
 */
const JOURNEY = 'foundation';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const PROJECT = `E2E测试项目${suffix}`;
const PROJECT_CODE = `E2E${suffix}`;
const USERNAME = `e2e_agent_${suffix.toLowerCase()}`;
const USER_DISPLAY = `测试专员${suffix}`;
const INITIAL_PASSWORD = 'Start2026go';
const NEW_PASSWORD = 'Changed2026ok';

let server: RunningServer | null = null;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shot = screenshotter(JOURNEY);

async function login(username: string, password: string): Promise<void> {
  await signIn(page, username, password, { open: false, expectHome: false });
}

async function logout(): Promise<void> {
  await page.getByRole('button', { name: '用户菜单' }).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL('**/login');
}

const tempFiles: string[] = [];

function writeCsv(name: string, rows: string[][]): string {
  const file = join(tmpdir(), `${name}-${suffix}.csv`);
  tempFiles.push(file);
  writeFileSync(file, `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
  return file;
}

async function chooseImportFile(file: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: '选择文件' }).click()]);
  await chooser.setFiles(file);
}

describe('foundation journey', () => {
  beforeAll(async () => {
    // E2E_BASE_URL runs the journey against a server someone already started.
    const baseUrl = process.env.E2E_BASE_URL ?? (server = await startServer()).baseUrl;
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

  it('admin signs in and sees the admin menu', async () => {
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: '桥梁客服中心' }).waitFor();
    await shot(page, 'login');

    await login('admin', 'wrong-password1');
    await page.getByRole('alert').waitFor();
    const failure = await page.getByRole('alert').innerText();
    expect(failure).toContain('用户名或密码错误');
    // The same answer for every failure: no tries-left count that tells a real account (finding 5).
    expect(failure).not.toContain('还可尝试');
    await shot(page, 'login-error');

    await login('admin', DEMO_PASSWORD);
    await page.getByRole('heading', { name: /您好/ }).waitFor();
    const menu = page.getByRole('menu').first();
    for (const item of ['工作台', '城市公司', '项目', '部门', '用户管理', '审计日志', '消息外发']) {
      await menu.getByRole('menuitem', { name: item }).waitFor();
    }
    await shot(page, 'home-admin');
  });

  it('admin creates a project', async () => {
    await page.getByRole('menuitem', { name: '项目' }).click();
    await page.waitForURL('**/projects');
    await page.getByRole('table').getByRole('row').nth(1).waitFor();
    await shot(page, 'projects');

    await page.getByRole('button', { name: '新建项目' }).click();
    const dialog = page.getByRole('dialog', { name: '新建项目' });
    await pickOption(page, dialog, '城市公司', '深圳城市公司');
    await dialog.getByLabel('项目名称').fill(PROJECT);
    await dialog.getByLabel('项目编码').fill(PROJECT_CODE);
    await dialog.getByLabel('地址').fill('深圳市南山区科技园测试路 1 号');
    await dialog.getByLabel('项目编码').press('Enter');
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}/);
    await page.getByRole('heading', { name: PROJECT }).waitFor();
    await shot(page, 'project-detail-empty');
  });

  it('admin creates a building and a unit by form', async () => {
    await page.getByRole('button', { name: '新建楼栋' }).click();
    const b = page.getByRole('dialog', { name: '新建楼栋' });
    await b.getByLabel('楼栋名称').fill('1栋');
    await b.getByLabel('总层数').fill('18');
    await b.getByRole('button', { name: '保存' }).click();
    await b.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: '1栋 · 房屋' }).waitFor();

    await page.getByRole('button', { name: '新建房屋' }).click();
    const u = page.getByRole('dialog', { name: /新建房屋/ });
    await u.getByLabel('单元').fill('1单元');
    await u.getByLabel('楼层').fill('15');
    await u.getByLabel('房号').fill('1501');
    await u.getByLabel('建筑面积（㎡）').fill('89.5');
    await u.getByLabel('户型').fill('三室两厅');
    await u.getByLabel('户型').press('Enter');
    await u.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: '1501' });
    await row.waitFor();
    expect(await row.innerText()).toContain('89.50');
    await shot(page, 'unit-created');
  });

  it('admin imports units: the dry run reports bad rows, then a clean file imports', async () => {
    await page.getByRole('button', { name: '导入房屋' }).click();
    const dialog = page.getByRole('dialog', { name: '导入房屋' });

    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: '下载模板（CSV）' }).click()]);
    const template = readFileSync((await download.path()) ?? '', 'utf8');
    expect(template.replace(/^\uFEFF/, '').trim()).toBe('楼栋,单元,楼层,房号,建筑面积,户型');

    const header = ['楼栋', '单元', '楼层', '房号', '建筑面积', '户型'];
    await chooseImportFile(writeCsv('units-bad', [header, ['2栋', '1单元', '1', '101', '95.2', '三室两厅'], ['2栋', '1单元', '第二层', '201', '-3', '']]));
    await dialog.getByRole('button', { name: '校验' }).click();
    await dialog.getByText(/发现 \d+ 处错误/).waitFor();
    expect(await dialog.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true);
    await shot(page, 'import-errors');

    const rows = [header];
    for (const floor of [1, 2, 3]) for (const room of ['01', '02']) rows.push(['2栋', '1单元', String(floor), `${floor}${room}`, '95.2', '三室两厅']);
    await chooseImportFile(writeCsv('units-good', rows));
    await dialog.getByRole('button', { name: '校验' }).click();
    await dialog.getByText('校验通过，可以导入。').waitFor();
    await shot(page, 'import-dry-run-ok');
    await dialog.getByRole('button', { name: '确认导入' }).click();
    await toast(page, '已导入 6 套房屋，新建 1 个楼栋').waitFor();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('menuitem', { name: /2栋/ }).click();
    await page.getByRole('heading', { name: '2栋 · 房屋' }).waitFor();
    await page.getByRole('row').filter({ hasText: '302' }).waitFor();
    await shot(page, 'imported-units');
  });

  it('admin creates a staff user scoped to the new project', async () => {
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await page.waitForURL('**/users');
    await page.getByRole('button', { name: '新建用户' }).click();
    const drawer = page.getByRole('dialog', { name: '新建用户' });
    await drawer.getByLabel('用户名', { exact: true }).fill(USERNAME);
    await drawer.getByLabel('姓名').fill(USER_DISPLAY);
    await drawer.getByLabel('初始密码').fill(INITIAL_PASSWORD);
    await pickOption(page, drawer, '角色', '客服专员');
    await page.keyboard.press('Escape');
    await chooseRadio(drawer, '项目');
    await pickOption(page, drawer, '可访问的项目', PROJECT, PROJECT);
    await page.keyboard.press('Escape');
    await drawer.getByLabel('分机号').fill('8123');
    await shot(page, 'user-form');
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: USERNAME });
    await row.waitFor();
    expect(await row.innerText()).toContain(PROJECT);
    await shot(page, 'users');
    await logout();
  });

  it('the new user changes the initial password and sees only that project', async () => {
    await login(USERNAME, INITIAL_PASSWORD);
    await page.waitForURL('**/change-password');
    await shot(page, 'change-password');
    await page.getByLabel('当前密码').fill(INITIAL_PASSWORD);
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').press('Enter');
    await page.getByRole('heading', { name: `您好，${USER_DISPLAY}` }).waitFor();
    const menu = page.getByRole('menu').first();
    expect(await menu.getByRole('menuitem', { name: '用户管理' }).count()).toBe(0);
    await page.getByText(PROJECT).first().waitFor();
    await shot(page, 'home-agent');

    await menu.getByRole('menuitem', { name: '项目' }).click();
    await page.waitForURL('**/projects');
    await page.getByRole('link', { name: PROJECT }).waitFor();
    const body = page.getByRole('table').locator('tbody tr.ant-table-row');
    expect(await body.count()).toBe(1);
    expect(await page.getByRole('button', { name: '新建项目' }).count()).toBe(0);
    await shot(page, 'projects-agent');

    await page.getByRole('link', { name: PROJECT }).click();
    await page.getByRole('heading', { name: '1栋 · 房屋' }).waitFor();
    expect(await page.getByRole('button', { name: '导入房屋' }).count()).toBe(0);
    await shot(page, 'project-agent');

    await page.goto('/users');
    await page.getByText('抱歉，您没有权限访问此页面。').waitFor();
    await shot(page, 'forbidden');
  });

  it('the user logs out', async () => {
    await logout();
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.goto('/projects');
    await page.waitForURL('**/login');
    await shot(page, 'logged-out');
  });
});
