import { describe, expect, it } from 'vitest';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// Keyboard and screen-reader basics of the agent panel in Chromium: the skip
// link comes first and lands in the page, every page names itself in the tab
// title, a client-side navigation moves the focus to the new page's heading,
// and the sidebar's items are links (open in a new tab works).

describe('agent panel keyboard navigation in Chromium', () => {
  const env = useBrowserAndDesk();

  /** The focused element's tag, text and whether it is the page's heading. */
  const focused = (page: import('playwright-core').Page) =>
    page.evaluate<{ tag: string; text: string; heading: boolean; inMain: boolean }>(`(() => {
      const el = document.activeElement;
      return { tag: el.tagName, text: (el.textContent || '').trim(), heading: el.hasAttribute('data-page-heading'),
        inMain: !!el.closest('main') };
    })()`);

  it('Tab reaches "Skip to content" first; Enter moves the focus to the queue heading', async () => {
    const page = await newPage(env.browser, 1440, 900);
    await signIn(page, `${env.desk.url}/agent/queues/open`, 'jane@deskline.local', 'deskline-agent');
    await page.getByRole('table', { name: 'Open tickets' }).waitFor();
    await page.reload();
    await page.getByRole('table', { name: 'Open tickets' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'A', text: 'Skip to content' });
    await page.waitForTimeout(200); // the link slides into view
    await page.screenshot({
      path: 'docs/screenshots/agent-skip-link.png',
      clip: { x: 0, y: 0, width: 720, height: 200 },
    });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'H1', text: 'Open', heading: true, inMain: true });
    // The next Tab continues inside the page, not in the header or the sidebar.
    await page.keyboard.press('Tab');
    expect((await focused(page)).inMain).toBe(true);
  });

  it('each page has its own title; navigating focuses the new heading; sidebar items are links', async () => {
    const page = await newPage(env.browser, 1440, 900);
    await signIn(page, `${env.desk.url}/agent/queues/open`, 'jane@deskline.local', 'deskline-agent');
    await page.getByRole('table', { name: 'Open tickets' }).waitFor();
    await expect.poll(() => page.title()).toBe('Open · Queues · Deskline');

    const sidebar = page.getByRole('navigation', { name: 'Queues' });
    for (const [name, href] of [
      ['Dashboard', '/agent/dashboard'],
      ['Reports', '/agent/reports/volume'],
      ['Unassigned', '/agent/queues/unassigned'],
    ] as const)
      expect(await sidebar.getByRole('link', { name: new RegExp(`^${name}`) }).getAttribute('href')).toBe(
        href,
      );

    await sidebar.getByRole('link', { name: /^Unassigned/ }).click();
    await page.getByRole('table', { name: 'Unassigned tickets' }).waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: 'Unassigned', heading: true });
    expect(await page.title()).toBe('Unassigned · Queues · Deskline');

    await sidebar.getByRole('link', { name: 'Reports' }).click();
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: 'Reports' });
    expect(await page.title()).toBe('Reports · Deskline');

    // A ticket: "#<number> <subject> · Deskline", and its heading has the focus.
    await page.goBack();
    const row = page.getByRole('table', { name: 'Unassigned tickets' }).locator('tbody tr').first();
    await row.waitFor();
    const link = row.getByRole('link').first();
    await link.click();
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(async () => (await heading.textContent()) ?? '').toMatch(/^#\d+ /);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', heading: true });
    expect(await page.title()).toBe(`${(await heading.textContent())!.trim()} · Deskline`);

    // A modified click is left to the browser (a new tab), the page stays.
    const before = page.url();
    const opened = page.context().waitForEvent('page');
    await sidebar.getByRole('link', { name: 'Dashboard' }).click({ modifiers: ['ControlOrMeta'] });
    const tab = await opened;
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname).toBe('/agent/dashboard');
    expect(page.url()).toBe(before);
    await tab.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await tab.title()).toBe('Dashboard · Deskline');

    await page.goto(`${env.desk.url}/agent/profile`);
    await expect.poll(() => page.title()).toBe('Profile · Deskline');
    // Jane is no admin: the admin page says so, under its own title.
    await page.goto(`${env.desk.url}/agent/admin/teams`);
    await expect.poll(() => page.title()).toBe('Admin settings · Deskline');
  });
});
