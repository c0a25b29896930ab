import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// The queues in a real browser: sidebar counts, multi-select with bulk
// actions, sorting, and a saved custom queue.

describe('agent queues in Chromium', () => {
  const env = useBrowserAndDesk();

  /** The count badge of a sidebar queue, as shown ("3", "1k+"). */
  const countOf = async (page: Page, name: string) =>
    (await page
      .getByRole('link', { name: new RegExp(`^${name}`) })
      .locator('.mantine-Badge-root')
      .textContent())!;

  const numbersIn = async (page: Page, table: string) =>
    (await page.getByRole('table', { name: table }).locator('tbody tr td:first-child').allTextContents()).map(
      (s) => s.trim(),
    );

  it('Jane bulk-assigns two tickets to herself, raises their priority, and saves a queue', async () => {
    const page = await newPage(env.browser, 1280, 800);
    await signIn(page, `${env.desk.url}/agent/queues/unassigned`, 'jane@deskline.local', 'deskline-agent');
    const unassigned = page.getByRole('table', { name: 'Unassigned tickets' });
    await unassigned.waitFor();
    await expect.poll(() => countOf(page, 'My tickets')).toMatch(/^\d+$/);
    const mineBefore = Number(await countOf(page, 'My tickets'));
    const unassignedBefore = Number(await countOf(page, 'Unassigned'));
    const picked = (await numbersIn(page, 'Unassigned tickets')).slice(0, 2);
    expect(picked).toHaveLength(2);
    // Only the queue on screen is highlighted.
    expect(await page.getByRole('link', { name: /^Unassigned/ }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('link', { name: /^My tickets/ }).getAttribute('aria-current')).toBeNull();

    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    for (const n of picked) await page.getByRole('checkbox', { name: `Select ticket ${n}` }).check();
    await bar.getByText('2 selected').waitFor();
    await bar.getByRole('button', { name: 'Assign to me' }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Bulk action result' }).textContent())
      .toContain('Assigned to you: 2 tickets');
    await expect.poll(() => countOf(page, 'My tickets')).toBe(String(mineBefore + 2));
    await expect.poll(() => countOf(page, 'Unassigned')).toBe(String(unassignedBefore - 2));
    await expect.poll(() => numbersIn(page, 'Unassigned tickets')).not.toContain(picked[0]);

    // In My tickets: select both, set Emergency.
    await page.getByRole('link', { name: /^My tickets/ }).click();
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();
    await expect.poll(() => numbersIn(page, 'My tickets tickets')).toEqual(expect.arrayContaining(picked));
    expect(await page.getByRole('link', { name: /^Unassigned/ }).getAttribute('aria-current')).toBeNull();
    for (const n of picked) await page.getByRole('checkbox', { name: `Select ticket ${n}` }).check();
    await bar.getByRole('button', { name: 'Priority' }).click();
    await page.getByRole('menuitem', { name: 'Emergency' }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Bulk action result' }).textContent())
      .toContain('Priority set to Emergency: 2 tickets');
    const mine = page.getByRole('table', { name: 'My tickets tickets' });
    for (const n of picked)
      await expect
        .poll(() => mine.locator('tbody tr', { hasText: n }).locator('td').nth(3).textContent())
        .toBe('Emergency');

    // Sorting by a column header, then back to the queue's own order.
    await mine.getByRole('button', { name: 'Sort by Last update' }).click();
    await expect.poll(() => mine.locator('th[aria-sort]').textContent()).toContain('Last update');
    await mine.getByRole('button', { name: 'Sort by Priority' }).click();
    await expect.poll(() => mine.locator('th[aria-sort]').textContent()).toContain('Priority');

    // The screenshot: the queue with counts, columns and the selection bar.
    await page.getByRole('checkbox', { name: `Select ticket ${picked[0]}` }).check();
    await page.getByRole('checkbox', { name: `Select ticket ${picked[1]}` }).check();
    await bar.getByText('2 selected').waitFor();
    // A success leaves by itself (issue 19: it must not cover the rows until closed).
    await page
      .getByRole('status', { name: 'Bulk action result' })
      .waitFor({ state: 'hidden', timeout: 10_000 });
    await page.waitForTimeout(300); // the checkbox and notification transitions
    await page.screenshot({ path: 'docs/screenshots/agent-queue.png' });

    // Save My tickets narrowed to Emergency as a queue; it opens with its count in the sidebar.
    await page.getByRole('button', { name: 'Save as queue' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save as queue' });
    await dialog.getByRole('textbox', { name: 'Queue name' }).fill('My emergencies');
    await dialog
      .getByLabel(/^Priority/)
      .first()
      .click();
    await page.getByRole('option', { name: 'Emergency' }).click();
    await dialog.getByRole('checkbox', { name: 'Created' }).check();
    await dialog.getByRole('button', { name: 'Save queue' }).click();
    await page.getByRole('heading', { name: 'My emergencies' }).waitFor();
    expect(page.url()).toMatch(/\/agent\/queues\/saved-\d+$/);
    const saved = page.getByRole('table', { name: 'My emergencies tickets' });
    await expect
      .poll(async () => (await numbersIn(page, 'My emergencies tickets')).sort())
      .toEqual(expect.arrayContaining([...picked].sort()));
    expect(await saved.locator('thead th').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Created')]),
    );
    const savedCount = Number(await countOf(page, 'My emergencies'));
    expect(savedCount).toBe((await numbersIn(page, 'My emergencies tickets')).length);
    expect(await page.getByRole('link', { name: /^My emergencies/ }).getAttribute('aria-current')).toBe(
      'page',
    );
    // A reload lands on the saved queue again.
    await page.reload();
    await page.getByRole('heading', { name: 'My emergencies' }).waitFor();
    await page.close();
  });

  it('pages a queue by cursor: Next page and Previous', async () => {
    const page = await newPage(env.browser, 1280, 800);
    await signIn(page, `${env.desk.url}/agent/queues/unassigned`, 'jane@deskline.local', 'deskline-agent');
    await page.getByRole('table', { name: 'Unassigned tickets' }).waitFor();
    // More unassigned Support tickets than one page holds (25), opened through the API as Jane.
    await page.evaluate(async (count) => {
      const store = (globalThis as { sessionStorage?: { getItem(k: string): string | null } }).sessionStorage;
      const headers = {
        'content-type': 'application/json',
        'x-csrf-token': store?.getItem('deskline.csrf') ?? '',
      };
      for (let i = 0; i < count; i++) {
        const body = { subject: `Paging ${i}`, body: 'x', requester: { email: `pager${i}@example.com` } };
        await fetch('/api/v1/tickets', {
          method: 'POST',
          headers,
          body: JSON.stringify({ ...body, department: 'Support' }),
        });
      }
    }, 30);
    await page.reload();
    const table = 'Unassigned tickets';
    await page.getByRole('table', { name: table }).waitFor();
    const first = await numbersIn(page, table);
    expect(first).toHaveLength(25);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await expect.poll(async () => (await numbersIn(page, table))[0]).not.toBe(first[0]);
    const second = await numbersIn(page, table);
    expect(second).toHaveLength(9); // the demo's 4 unassigned Support tickets and these 30: 34
    expect(second.filter((n) => first.includes(n))).toEqual([]);
    expect(Number(await countOf(page, 'Unassigned'))).toBe(first.length + second.length);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 1').waitFor();
    await expect.poll(() => numbersIn(page, table)).toEqual(first);
    await page.close();
  });
});
