import { describe, expect, it } from 'vitest';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// Issue 19: the composer sends with Ctrl+Enter, and "Send and go to next"
// (or "Add and go to next" for a note) moves on to the next ticket of the
// queue the agent came from; the thread shows no event row repeating a reply.

describe('composer in Chromium', () => {
  const env = useBrowserAndDesk();

  it('Ctrl+Enter sends; "Add and go to next" opens the next ticket of the last queue', async () => {
    const jane = await newPage(env.browser);
    await signIn(jane, `${env.desk.url}/agent/`, 'jane@deskline.local', 'deskline-agent');
    const queue = jane.getByRole('table', { name: 'Open tickets' });
    await queue.waitFor();
    const numbers = (await queue.locator('tbody tr td:first-child').allTextContents()).map((s) => s.trim());
    expect(numbers.length).toBeGreaterThan(2);
    // Who the ticket waits on: "New" (nobody answered yet) or "Customer replied", as the API says.
    const page = (await (
      await jane.context().request.get(`${env.desk.url}/api/v1/tickets?queue=open&limit=50`)
    ).json()) as {
      items: { number: string; lastSpeaker: string | null; lastResponseAt: string | null }[];
    };
    const expected = page.items.map((t) =>
      t.lastSpeaker !== 'customer' ? '' : t.lastResponseAt === null ? 'New' : 'Customer replied',
    );
    expect(expected).toContain('New');
    expect(expected).toContain('Customer replied');
    const shown = await queue
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('[data-turn]')?.textContent ?? ''));
    expect(shown).toEqual(expected.slice(0, shown.length));
    await queue.getByRole('link').first().click();
    await jane.getByRole('heading', { name: new RegExp(`^#${numbers[0]} `) }).waitFor();

    const reply = jane.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Sent with the keyboard: we are looking into it.');
    await reply.press('Control+Enter');
    await jane.locator('[data-kind="reply"]', { hasText: 'Sent with the keyboard' }).waitFor();
    await expect.poll(() => reply.inputValue()).toBe('');
    // The reply is not echoed by a "1 event · Replied" row under it.
    expect(await jane.locator('[data-kind="events"]', { hasText: 'Replied' }).count()).toBe(0);

    await jane.getByText('Internal note', { exact: true }).click();
    await jane.getByRole('textbox', { name: 'Note' }).fill('Checked the logs, nothing unusual.');
    await jane.getByRole('button', { name: 'Add and go to next' }).click();
    await jane.getByRole('heading', { name: new RegExp(`^#${numbers[1]} `) }).waitFor();
    expect(new URL(jane.url()).pathname).toBe(`/agent/tickets/${numbers[1]}`);

    // The note landed on the first ticket.
    await jane.goto(`${env.desk.url}/agent/tickets/${numbers[0]}`);
    await jane.locator('[data-kind="note"]', { hasText: 'Checked the logs' }).waitFor();
    await jane.close();
  }, 60_000);
});
