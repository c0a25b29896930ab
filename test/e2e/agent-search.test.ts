import { describe, expect, it } from 'vitest';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// Issue 19: the search box opens a ticket when given its exact number (as
// agents search most), with or without '#'; a number that is no visible
// ticket, and any other text, lists search results.

describe('agent search in Chromium', () => {
  const env = useBrowserAndDesk();

  it('an exact number opens the ticket; other text and unknown numbers are searched', async () => {
    const jane = await newPage(env.browser);
    await signIn(jane, `${env.desk.url}/agent/`, 'jane@deskline.local', 'deskline-agent');
    const queue = jane.getByRole('table', { name: 'Open tickets' });
    await queue.waitFor();
    const number = (await queue.locator('tbody tr').first().locator('td').nth(0).textContent())!.trim();
    expect(number).toMatch(/^\d{6}$/);
    const search = jane.getByRole('textbox', { name: 'Search tickets' });

    await search.fill(`#${number}`);
    await search.press('Enter');
    await jane.getByRole('heading', { name: new RegExp(`^#${number} `) }).waitFor();
    expect(new URL(jane.url()).pathname).toBe(`/agent/tickets/${number}`);

    await search.fill('999999');
    await search.press('Enter');
    await expect
      .poll(() => new URL(jane.url()).pathname + new URL(jane.url()).search)
      .toBe('/agent/search?q=999999');

    await search.fill('printer');
    await search.press('Enter');
    await expect.poll(() => new URL(jane.url()).search).toBe('?q=printer');
    await jane
      .getByRole('table')
      .locator('tbody tr', { hasText: /printer/i })
      .first()
      .waitFor();
    await jane.close();
  }, 60_000);
});
