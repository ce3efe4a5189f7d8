import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Reply templates (issue 18, "macros"): a supervisor writes the team's wording with variables
 * for 观澜府; an agent answering a customer on one of her tickets inserts it, sees the customer's
 * name and the ticket number filled in, and sends it; the reply shows on the ticket.
 */
const JOURNEY = 'reply-templates';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const TITLE = `E2E 停水答复 ${suffix}`;

let server: RunningServer | null = null;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let baseUrl: string;
const shot = screenshotter(JOURNEY);

interface TicketRow { id: string; number: string; status: string; projectName: string; customerName: string | null }

describe('reply templates journey', () => {
  beforeAll(async () => {
    baseUrl = process.env.E2E_BASE_URL ?? (server = await startServer()).baseUrl;
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

  it('the supervisor finds the demo templates under 回复模板 and writes one with variables for 观澜府', async () => {
    await signIn(page, 'supervisor', DEMO_PASSWORD);
    await page.getByRole('menu').first().getByRole('menuitem', { name: '回复模板' }).click();
    await page.waitForURL('**/settings/reply-templates');
    await page.getByRole('heading', { name: '回复模板' }).waitFor();
    await page.getByRole('cell', { name: '受理确认', exact: true }).waitFor();
    await shot(page, 'list');

    await page.getByRole('button', { name: '新建模板' }).click();
    const dialog = page.getByRole('dialog', { name: '新建模板' });
    await dialog.getByLabel('模板名称').fill(TITLE);
    await pickOption(page, dialog, '适用范围', '观澜府');
    // A typo in a variable is refused by the server, naming it.
    await dialog.getByLabel('模板内容').fill('{业主}您好，因管网检修，明日停水。');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText(/不认识的变量：\{业主\}/).waitFor();
    await shot(page, 'unknown-variable');

    await dialog.getByLabel('模板内容').fill('');
    await dialog.getByRole('button', { name: '{客户姓名}' }).click();
    await dialog.getByLabel('模板内容').press('End');
    await dialog.getByLabel('模板内容').pressSequentially('您好，因管网检修，工单 ');
    await dialog.getByRole('button', { name: '{工单号}' }).click();
    await dialog.getByLabel('模板内容').press('End');
    await dialog.getByLabel('模板内容').pressSequentially(' 所报停水将于明日恢复。');
    expect(await dialog.getByLabel('模板内容').inputValue()).toBe('{客户姓名}您好，因管网检修，工单 {工单号} 所报停水将于明日恢复。');
    await shot(page, 'form');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: TITLE, exact: true }).waitFor();
  });

  it('the agent inserts it into a reply: the customer and the ticket number are filled in, and the reply is sent', async () => {
    await context.clearCookies();
    await signIn(page, 'agent', DEMO_PASSWORD);
    const tickets = await page.evaluate(async () => {
      const res = await fetch('/api/tickets?view=mine&limit=200', { headers: { Accept: 'application/json' } });
      return ((await res.json()) as { items: TicketRow[] }).items;
    });
    const ticket = tickets.find((t) => t.projectName === '观澜府' && t.customerName && ['registered', 'dispatched', 'in_progress', 'result_returned'].includes(t.status));
    expect(ticket, 'an open 观澜府 ticket of the agent with a customer').toBeTruthy();

    await page.goto(`/tickets/${ticket!.id}`);
    await page.getByRole('toolbar').getByRole('button', { name: '答复客户' }).click();
    const reply = page.getByRole('dialog', { name: /答复客户/ });
    // The picker inserts and clears itself (it keeps no value), so pick by hand.
    await reply.getByLabel('插入模板', { exact: true }).click();
    await reply.getByLabel('插入模板', { exact: true }).fill('停水');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(TITLE).click();
    await toast(page, `已插入“${TITLE}”，请核对后再提交`).waitFor();
    const text = await reply.getByLabel('答复内容').inputValue();
    expect(text).toBe(`${ticket!.customerName}您好，因管网检修，工单 ${ticket!.number} 所报停水将于明日恢复。`);
    await shot(page, 'inserted');
    await reply.getByRole('button', { name: '确定' }).click();
    await reply.waitFor({ state: 'hidden' });
    await page.getByText(text, { exact: true }).waitFor();
    await shot(page, 'replied');
  });
});
