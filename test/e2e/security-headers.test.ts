import { describe, expect, it } from 'vitest';
import { cspViolations, newPage, useBrowserAndDesk } from './support/session.ts';

// Issue 17 item 9: the pages had no Content-Security-Policy, no framing
// policy and no Referrer-Policy. They now have strict ones; the built app
// runs under them (every browser test checks that Chromium reported no
// violation), and what the policy is for is refused.

describe('security headers in Chromium', () => {
  const env = useBrowserAndDesk();

  it('each page has a strict policy with a nonce of its own; Mantine’s styles carry it', async () => {
    const page = await newPage(env.browser);
    const nonces: string[] = [];
    for (const path of ['/', '/agent/']) {
      const res = (await page.goto(`${env.desk.url}${path}`))!;
      const headers = res.headers();
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('no-referrer');
      const csp = headers['content-security-policy']!;
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
      nonces.push(nonce);
      // The page is styled: Mantine's variables are in a <style> element with the page's nonce.
      await page.locator('button').first().waitFor();
      const styled = await page.evaluate(
        "[...document.querySelectorAll('style[data-mantine-styles]')].map((s) => s.nonce)",
      );
      expect(styled).toContain(nonce);
      const primary = await page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--mantine-primary-color-filled')",
      );
      expect(String(primary).trim()).not.toBe('');
    }
    expect(new Set(nonces).size).toBe(2);
    await page.close();
  });

  it('refuses an injected inline script and framing by another page', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.desk.url}/`);
    await page.locator('button').first().waitFor();
    await page.evaluate(
      "(() => { const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.head.append(s); })()",
    );
    expect(await page.evaluate('window.injected === true')).toBe(false);
    await expect.poll(() => cspViolations.some((v) => v.includes('script-src'))).toBe(true);
    cspViolations.splice(0); // this one was the point
    const framer = await newPage(env.browser);
    const res = await framer.goto(`${env.desk.url}/api/docs`);
    expect(res!.headers()['x-frame-options']).toBe('DENY');
    await framer.setContent(`<iframe src="${env.desk.url}/agent/"></iframe>`);
    await new Promise((r) => setTimeout(r, 1500));
    // Chromium shows its error page in the frame instead of the agent panel.
    const frame = framer.frames().find((f) => f !== framer.mainFrame())!;
    expect(frame.url()).not.toContain(env.desk.url);
    expect(await frame.evaluate("document.getElementById('root') !== null").catch(() => false)).toBe(false);
    cspViolations.splice(0); // the refusal of the frame, if Chromium reports it
    await page.close();
    await framer.close();
  });
  // The API reference (/api/docs) under its own strict policy: test/e2e/api-docs.test.ts.
});
