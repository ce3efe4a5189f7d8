import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; browsers are never downloaded. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../screenshots');

/** Launches headless Chromium with the flags a container needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh browser profile (cookies) in Chinese, on the server under test. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  // A step that waits longer than this is broken, not slow.
  context.setDefaultTimeout(15_000);
  return context;
}

/**
 * Saves numbered screenshots of a journey: screenshots/<journey>-<nn>-<page>.png.
 * Waits for antd's messages and animations to settle first.
 */
export function screenshotter(journey: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Screenshots of an earlier run of this journey would mix with this run's.
  for (const f of readdirSync(SCREENSHOT_DIR)) if (f.startsWith(`${journey}-`)) rmSync(join(SCREENSHOT_DIR, f));
  let n = 0;
  return async (page: Page, name: string): Promise<string> => {
    n += 1;
    const file = join(SCREENSHOT_DIR, `${journey}-${String(n).padStart(2, '0')}-${name}.png`);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(350);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}

/**
 * Signs in from the login page: opens it, fills the exactly-labelled fields (a loose
 * getByLabel('密码') also matches other pages' 重置密码 buttons while the route loads) and waits
 * for the greeting of the home page. `expectHome: false` stops after submitting (first sign-in
 * goes to the change-password page instead).
 */
export async function signIn(page: Page, username: string, password: string, opts: { open?: boolean; expectHome?: boolean } = {}): Promise<void> {
  if (opts.open ?? true) await page.goto('/login');
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByLabel('密码', { exact: true }).press('Enter');
  if (opts.expectHome ?? true) await page.getByRole('heading', { name: /您好/ }).waitFor();
}
