import type { Locator, Page } from 'playwright-core';

// Small page moves the agent-panel browser tests share. Page-side code is
// given as strings or typed loosely: the tests are type-checked without the
// DOM library.

/** Opens a Mantine Select by its label and chooses an option by its exact name. */
export async function pick(page: Page, label: RegExp, option: string): Promise<void> {
  await page.getByLabel(label).first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Takes the focus out of any field, so keyboard shortcuts reach the panel. */
export const BLUR = 'document.activeElement && document.activeElement.blur()';

export const hasFocus = (l: Locator): Promise<boolean> =>
  l.evaluate(
    (el) =>
      el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement,
  );
