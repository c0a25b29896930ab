import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium } from './browser.ts';
import { startDemoDesk } from './desk.ts';

/** What Chromium reported as refused by the pages' Content-Security-Policy since the last check. */
export const cspViolations: string[] = [];

/** Chromium and a demo desk for one test file: started before its tests, stopped after; no test may see a CSP violation. */
export function useBrowserAndDesk() {
  const env = {} as { browser: Browser; desk: Awaited<ReturnType<typeof startDemoDesk>> };
  beforeAll(async () => {
    [env.browser, env.desk] = await Promise.all([launchChromium(), startDemoDesk()]);
  }, 90_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.desk?.stop();
  });
  afterEach(() => {
    expect(cspViolations.splice(0), 'Content-Security-Policy violations').toEqual([]);
  });
  return env;
}

/** A page in its own context (its own cookies); a step that cannot happen fails within 10 s with its own message. */
export async function newPage(browser: Browser, width = 1280, height = 800): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
  page.setDefaultTimeout(10_000);
  // Chromium logs refusals itself; the event catches any it would not.
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))",
  );
  page.on('console', (msg) => {
    if (/Content Security Policy|CSP violation/i.test(msg.text()))
      cspViolations.push(`${page.url()}: ${msg.text()}`);
  });
  return page;
}

/** Fills the sign-in form at `url` (agent panel or portal) and submits it. */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
