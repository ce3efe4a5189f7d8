import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Handover journey (issue 13, D10) on a 1024×768 tablet: the manager opens the demo delivery
 * batch of 江畔华庭, inspects a unit not yet inspected, marks 客厅·墙面 defective with a photo for
 * 华美装饰; the contractor's user sees it in its queue and reports the fix; the manager
 * re-inspects and closes it; the batch report shows the contractors.
 */
const JOURNEY = 'handover';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const DEFECT = `客厅墙面开裂 E2E ${suffix}`;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const TABLET = { width: 1024, height: 768 };

let server: RunningServer | null = null;
let browser: Browser;
let context: BrowserContext;
let contractor: BrowserContext | null = null;
let page: Page;
let baseUrl: string;
const shot = screenshotter(JOURNEY);

describe('handover journey', () => {
  beforeAll(async () => {
    baseUrl = process.env.E2E_BASE_URL ?? (server = await startServer()).baseUrl;
    browser = await launchBrowser();
    context = await newContext(browser, baseUrl);
    page = await context.newPage();
    await page.setViewportSize(TABLET);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await shot(page, 'failed').catch(() => undefined);
  });

  afterAll(async () => {
    await contractor?.close();
    await browser?.close();
    await server?.stop();
  });

  it('the manager opens the delivery batch from the menu', async () => {
    await signIn(page, 'manager', DEMO_PASSWORD);
    await page.getByRole('menu').first().getByRole('menuitem', { name: '交付验房' }).click();
    await page.waitForURL('**/handover/batches');
    await page.getByRole('link', { name: '江畔华庭 2026 年第一批集中交付' }).click();
    await page.getByRole('tab', { name: '房屋' }).waitFor();
    await page.getByRole('table').waitFor();
    await shot(page, 'batch');
  });

  it('inspects a unit on the tablet: a defect with a photo for 华美装饰', async () => {
    const row = page.getByRole('row').filter({ hasText: '未检查' }).first();
    await row.getByRole('link', { name: '验房' }).click();
    await page.waitForURL('**/handover/units/**');
    await page.getByRole('button', { name: '客厅墙面有问题' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('问题描述').fill(DEFECT);
    await pickOption(page, dialog, '严重程度', '严重');
    await pickOption(page, dialog, '整改单位', '华美装饰工程有限公司');
    await dialog.locator('input[type=file]').setInputFiles({ name: '开裂.png', mimeType: 'image/png', buffer: PNG });
    await shot(page, 'defect-dialog');
    await dialog.getByRole('button', { name: '登记问题' }).click();
    await toast(page, '已保存').waitFor();
    await page.getByRole('cell', { name: DEFECT }).last().waitFor();
    expect(await page.getByRole('row').filter({ hasText: DEFECT }).last().innerText()).toContain('待整改');
    await shot(page, 'unit-inspected');
  });

  it('the contractor sees it in its queue and reports the fix', async () => {
    contractor = await newContext(browser, baseUrl);
    const cp = await contractor.newPage();
    await cp.setViewportSize(TABLET);
    await signIn(cp, 'sg_zs', DEMO_PASSWORD);
    await cp.goto('/handover/tasks');
    await cp.getByRole('heading', { name: '整改任务' }).waitFor();
    const row = cp.getByRole('row').filter({ hasText: DEFECT });
    await row.waitFor();
    // Only its own department's tasks.
    const contractors = await cp.getByRole('row').evaluateAll((rows) => rows.slice(1).map((r) => r.children[3]?.textContent ?? ''));
    expect(new Set(contractors.filter(Boolean))).toEqual(new Set(['华美装饰工程有限公司']));
    await row.getByRole('button', { name: '整改完成' }).click();
    await toast(cp, '已保存').waitFor();
    await shot(cp, 'contractor-queue');
  });

  it('the manager re-inspects and closes it; the report shows the contractors', async () => {
    await page.goto('/handover/tasks');
    const row = page.getByRole('row').filter({ hasText: DEFECT });
    await row.waitFor();
    await row.getByRole('button', { name: '复验通过' }).click();
    await toast(page, '已保存').waitFor();
    await row.waitFor({ state: 'detached' });
    await shot(page, 'reinspected');
    await page.goBack();
    await page.goto('/handover/batches');
    await page.getByRole('link', { name: '江畔华庭 2026 年第一批集中交付' }).click();
    await page.getByRole('tab', { name: '批次报表' }).click();
    await page.getByRole('cell', { name: '华美装饰工程有限公司' }).waitFor();
    await shot(page, 'report');
  });
});
