import { describe, expect, it } from 'vitest';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// Issue 19: one date/time format everywhere (web/src/ui/format.ts). The queue
// showed 24 h times and the ticket 12 h with seconds; now the queue says how
// long ago ("5 min ago") with the exact time on hover, and that exact time is
// the text the ticket shows for the same instant.

describe('dates in Chromium', () => {
  const env = useBrowserAndDesk();

  it('the queue and the ticket show the same instant in the same format', async () => {
    const page = await newPage(env.browser, 1440, 900);
    await signIn(page, `${env.desk.url}/agent/queues/unassigned`, 'jane@deskline.local', 'deskline-agent');
    const row = page.getByRole('table', { name: 'Unassigned tickets' }).locator('tbody tr').first();
    await row.waitFor();
    const number = (await row.locator('td').first().textContent())!.trim();
    const updated = row.locator('time').first();
    const exact = (await updated.getAttribute('title'))!;
    const iso = (await updated.getAttribute('datetime'))!;
    // Relative in the queue, exact on hover; never with seconds.
    expect(await updated.textContent()).not.toBe(exact);
    expect(exact).not.toMatch(/\d:\d\d:\d\d/);
    // The locale's own order and clock, with the minutes.
    expect(exact).toContain(`:${String(new Date(iso).getMinutes()).padStart(2, '0')}`);

    await row.getByRole('link').first().click();
    await page.waitForURL(`**/agent/tickets/${number}`);
    const fact = page.locator('[aria-label="Updated"]');
    await fact.waitFor();
    expect((await fact.textContent())!.trim()).toBe(exact);
    // The thread's times are in the same format.
    const entry = (await page.locator('[data-kind] time').first().textContent())!;
    expect(entry).not.toMatch(/\d:\d\d:\d\d/);
    expect(entry).toMatch(/\d:\d\d/);
    await page.close();
  });
});
