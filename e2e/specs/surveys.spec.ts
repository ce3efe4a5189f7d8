import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chooseRadio, pickOption, toast } from '../harness/antd.js';
import { launchBrowser, newContext, screenshotter, signIn } from '../harness/browser.js';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../harness/server.js';

/**
 * Surveys journey (issue 5, D2): a supervisor builds a three-question satisfaction survey for
 * 观澜府 (single choice, scale, text; reorders a question), narrows the segment to one building
 * and sees the live count, previews, saves and sends it by SMS. An owner opens their link on a
 * phone without logging in, is held back by a missing required answer, answers, and cannot
 * answer twice. The supervisor sees the count on the chart go from 0 to 1, the response in the
 * list, exports the results, and closes the survey; a late link then says it has ended.
 */
const JOURNEY = 'surveys';
const suffix = Date.now().toString(36).slice(-5).toUpperCase();
const PROJECT = '观澜府';
const TITLE = `E2E 满意度调查 ${suffix}`;
const Q1 = '您对物业服务总体满意吗？';
const Q2 = '请为小区环境打分';
const Q3 = '您还有什么建议？';

let server: RunningServer | null = null;
let browser: Browser;
let context: BrowserContext;
let phone: BrowserContext | null = null;
let page: Page;
let baseUrl: string;
let surveyId = '';
let tokens: string[] = [];
const shot = screenshotter(JOURNEY);

/**
 * The respondents' SMS links of the survey, read from the server's database: the outbox view
 * hides link secrets (security finding 11), as it must, so a test cannot take them from there.
 */
function linksOf(title: string): string[] {
  const db = new Database(join(server!.dataDir, 'qiaoliang.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("select i.token from survey_invitations i join surveys s on s.id = i.survey_id where s.title = ? and i.channel = 'sms' order by i.id desc").all(title) as { token: string }[];
    return rows.map((r) => r.token);
  } finally {
    db.close();
  }
}

/** The count in the results table of a question for one option (exact cell). */
async function countIn(questionText: string, option: string): Promise<number> {
  const table = page.getByRole('table', { name: `${questionText} 人数` });
  const row = table.getByRole('row').filter({ has: page.getByRole('cell', { name: option, exact: true }) });
  return Number((await row.getByRole('cell').nth(1).innerText()).trim());
}

function question(n: number): Locator {
  return page.getByRole('group', { name: `第 ${n} 题` });
}

describe('surveys journey', () => {
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
    await phone?.close();
    await browser?.close();
    await server?.stop();
  });

  it('the supervisor opens 满意度调查 from the menu', async () => {
    await signIn(page, 'supervisor', DEMO_PASSWORD);
    await page.getByRole('menu').first().getByRole('menuitem', { name: '满意度调查' }).click();
    await page.waitForURL('**/surveys');
    await page.getByRole('heading', { name: '满意度调查' }).waitFor();
    await page.getByRole('table').waitFor();
    await shot(page, 'list');
  });

  it('builds a three-question survey: single choice, scale, text; reorders; checks the builder', async () => {
    await page.getByRole('button', { name: '新建问卷' }).click();
    await page.waitForURL('**/surveys/new');
    await page.getByRole('heading', { name: '新建问卷' }).waitFor();

    // Saving an empty survey names what is missing.
    await page.getByRole('button', { name: '保存草稿' }).click();
    await toast(page, '请选择项目').waitFor();

    await pickOption(page, page, '项目', PROJECT);
    await page.getByLabel('问卷标题').fill(TITLE);
    await page.getByLabel('开场说明').fill('感谢您抽出 1 分钟参与本次调查。');

    await page.getByRole('button', { name: '填空题' }).click();
    await question(1).getByLabel('题目', { exact: true }).fill(Q3);
    await page.getByRole('button', { name: '单选题' }).click();
    await question(2).getByLabel('题目', { exact: true }).fill(Q1);
    await question(2).getByLabel('选项 1', { exact: true }).fill('满意');
    await question(2).getByLabel('选项 2', { exact: true }).fill('满意');
    await page.getByRole('button', { name: '量表题' }).click();
    await question(3).getByLabel('题目', { exact: true }).fill(Q2);
    await question(3).getByLabel('最低分说明', { exact: true }).fill('很差');
    await question(3).getByLabel('最高分说明', { exact: true }).fill('很好');

    // A repeated option is caught before saving.
    await page.getByRole('button', { name: '保存草稿' }).click();
    await question(2).getByText('选项不能重复').waitFor();
    await shot(page, 'builder-errors');
    await question(2).getByLabel('选项 2', { exact: true }).fill('一般');
    await question(2).getByRole('button', { name: '添加选项' }).click();
    await question(2).getByLabel('选项 3', { exact: true }).fill('不满意');

    // Reorder: the text question goes last (down twice).
    await page.getByRole('button', { name: '第 1 题 下移' }).click();
    await page.getByRole('button', { name: '第 2 题 下移' }).click();
    expect(await question(1).getByLabel('题目', { exact: true }).inputValue()).toBe(Q1);
    expect(await question(2).getByLabel('题目', { exact: true }).inputValue()).toBe(Q2);
    expect(await question(3).getByLabel('题目', { exact: true }).inputValue()).toBe(Q3);
    await shot(page, 'builder');
  });

  it('narrows the segment to building 1 and sees the live count', async () => {
    const count = page.getByRole('status', { name: '预计邀请' });
    await count.getByText(/其中 \d+ 位有手机号/).waitFor();
    const all = Number((await count.locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));
    expect(all).toBeGreaterThan(100);
    await pickOption(page, page, '楼栋', '1栋');
    await page.keyboard.press('Escape');
    await expect.poll(async () => Number((await count.locator('.ant-statistic-content-value').innerText()).replace(/\D/g, '')), { timeout: 10_000 }).toBeLessThan(all);
    const one = Number((await count.locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));
    expect(one).toBeGreaterThan(0);
    await shot(page, 'segment');
  });

  it('previews, saves the draft, and sends it by SMS after confirming', async () => {
    await page.getByRole('button', { name: '预览' }).click();
    const drawer = page.getByRole('dialog', { name: '受访者看到的问卷（预览）' });
    await drawer.getByText(Q1).waitFor();
    await drawer.getByText('预览模式：不会提交').waitFor();
    await shot(page, 'preview');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: '保存草稿' }).click();
    await toast(page, '问卷草稿已创建').waitFor();
    await page.waitForURL(/\/surveys\/[0-9a-f-]{36}$/);
    surveyId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: /编辑问卷/ }).waitFor();
    await shot(page, 'draft-saved');

    await page.getByRole('button', { name: '发送问卷' }).click();
    const dialog = page.getByRole('dialog', { name: `发送问卷：${TITLE}` });
    await dialog.getByText(/将向 \d+ 位客户发出邀请/).waitFor();
    await shot(page, 'send-confirm');
    await dialog.getByRole('button', { name: '确认发送' }).click();
    await toast(page, /问卷已发送，共邀请 \d+ 位客户/).waitFor();
    await page.getByRole('heading', { name: new RegExp(TITLE) }).waitFor();
    await page.getByText('进行中').first().waitFor();
    expect(await countIn(Q1, '满意')).toBe(0);
    await shot(page, 'results-empty');

    tokens = linksOf(TITLE);
    expect(tokens.length).toBeGreaterThan(1);
  });

  it('an owner answers on a phone without logging in, once', async () => {
    phone = await browser.newContext({ baseURL: baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(15_000);
    const mobile = await phone.newPage();
    await mobile.goto(`/s/${tokens[0]}`);
    await mobile.getByRole('heading', { name: TITLE }).waitFor();
    await mobile.getByText(PROJECT).first().waitFor();
    await shot(mobile, 'respondent-form');

    // A required question left empty is named; nothing is sent.
    await mobile.getByRole('button', { name: '提交问卷' }).click();
    await mobile.getByText('此题必答').first().waitFor();
    await shot(mobile, 'respondent-required');

    await chooseRadio(mobile, '满意');
    await chooseRadio(mobile, '5');
    await mobile.getByPlaceholder('请输入您的意见（选填）').fill('希望增加充电桩');
    await mobile.getByRole('button', { name: '提交问卷' }).click();
    await mobile.getByText('提交成功，感谢您的参与！').waitFor();
    await shot(mobile, 'respondent-thanks');

    await mobile.goto(`/s/${tokens[0]}`);
    await mobile.getByText('您已提交过本问卷').waitFor();
    await shot(mobile, 'respondent-already');
    await mobile.goto('/s/not-a-real-link');
    await mobile.getByText('链接无效').waitFor();
    await shot(mobile, 'respondent-invalid');
    await mobile.close();
  });

  it('the supervisor sees the chart count change, the response, and exports the results', async () => {
    await page.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => countIn(Q1, '满意'), { timeout: 10_000 }).toBe(1);
    expect(await countIn(Q1, '不满意')).toBe(0);
    expect(await countIn(Q2, '5 分')).toBe(1);
    await page.getByRole('img', { name: new RegExp(`^Q1 ${Q1}：满意 1，一般 0，不满意 0$`) }).waitFor();
    await page.getByText('希望增加充电桩').waitFor();
    await shot(page, 'results');

    await page.getByRole('tab', { name: '答卷明细' }).click();
    await page.getByRole('table').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await page.getByRole('table').locator('tbody tr.ant-table-row').count()).toBe(1);
    await shot(page, 'responses');

    await page.getByRole('button', { name: '导出 Excel' }).click();
    await toast(page, /已提交导出/).waitFor();
    const drawer = page.getByRole('dialog', { name: '导出任务' });
    await drawer.getByText('已完成').first().waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), drawer.getByRole('button', { name: '下载' }).first().click()]);
    expect(download.suggestedFilename()).toBe(`${TITLE}-调查结果.xlsx`);
    await drawer.getByRole('button', { name: /close|关闭/i }).first().click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('closes the survey; a late link says it has ended', async () => {
    await page.getByRole('tab', { name: '统计结果' }).click();
    await page.getByRole('button', { name: '结束调查' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await toast(page, '调查已结束').waitFor();
    await page.getByText('已结束').first().waitFor();
    expect(await page.getByRole('button', { name: '结束调查' }).count()).toBe(0);
    await shot(page, 'closed');

    const mobile = await phone!.newPage();
    await mobile.goto(`/s/${tokens[1]}`);
    await mobile.getByText('本次调查已结束').waitFor();
    await shot(mobile, 'respondent-closed');
    await mobile.close();

    await page.getByRole('menu').first().getByRole('menuitem', { name: '满意度调查' }).click();
    await page.waitForURL('**/surveys');
    const row = page.getByRole('row').filter({ hasText: TITLE });
    await row.getByText('已结束').waitFor();
    await shot(page, 'list-after');
    expect(surveyId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
