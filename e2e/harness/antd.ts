import type { Locator, Page } from 'playwright-core';

/**
 * Picks an option of the antd Select labelled `label` inside `scope`. Typing narrows the
 * list (and triggers server-side search where the select has one). antd keeps its ARIA
 * options in a zero-size list, so the visible item is found by its title. On a loaded machine
 * a click can land while the list is still animating in and choose nothing (CI saw forms
 * saved without their role or reason): the choice is checked on the select and tried again.
 */
export async function pickOption(page: Page, scope: Locator | Page, label: string, option: string, search?: string): Promise<void> {
  const box = scope.getByLabel(label, { exact: true });
  const select = box.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  for (let attempt = 1; ; attempt++) {
    await box.click();
    if (search !== undefined) await box.fill(search);
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await dropdown.getByTitle(option).first().click();
    try {
      await select.filter({ hasText: option }).waitFor({ timeout: 3_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

/** The antd message toast with this text (success or error). */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('.ant-message').getByText(text);
}

/** Checks an antd radio: clicks its label, since button-style radios hide the real input. */
export async function chooseRadio(scope: Locator | Page, name: string): Promise<void> {
  const radio = scope.getByRole('radio', { name, exact: true });
  await radio.locator('xpath=ancestor::label[1]').click();
  if (!(await radio.isChecked())) throw new Error(`radio ${name} did not get checked`);
}
