import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BLUR, hasFocus, pick } from './support/dom.ts';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// The agent ticket view's moves in Chromium against `deskline start`: keyboard
// shortcuts (j / k through the last queue, ? for help, r / n / a), the
// signature, the action selects, an action the API refuses shown as an
// alert, close with a reason (none for a resolved ticket) and reopen.

const text = (page: Page, label: string) => page.getByLabel(label, { exact: true }).textContent();
const SIGNATURE = 'Jane Doe\nDeskline Support';

describe('agent ticket view in Chromium', () => {
  const env = useBrowserAndDesk();

  it('shortcuts walk the last queue and work the ticket; signature; close with a reason; reopen', async () => {
    const jane = await newPage(env.browser);
    await signIn(jane, `${env.desk.url}/agent/`, 'jane@deskline.local', 'deskline-agent');
    await jane.getByRole('table', { name: 'Open tickets' }).waitFor();
    // The page's own session (its cookies, its CSRF token) sets it through the API.
    const csrf = await jane.evaluate<string>("sessionStorage.getItem('deskline.csrf')");
    const saved = await jane.context().request.patch(`${env.desk.url}/api/v1/me`, {
      data: { signature: SIGNATURE },
      headers: { 'x-csrf-token': csrf },
    });
    const status = saved.status();
    expect(status).toBe(200);
    await jane.reload();
    const queue = jane.getByRole('table', { name: 'Open tickets' });
    await queue.waitFor();

    // j / k walk the queue on screen, in its order.
    const numbers = (
      JSON.parse(await jane.evaluate<string>("sessionStorage.getItem('deskline.lastQueue') || '{}'")) as {
        numbers?: string[];
      }
    ).numbers;
    expect(numbers!.length).toBeGreaterThan(2);
    expect(await queue.locator('tbody tr').first().textContent()).toContain(numbers![0]);
    const heading = (n: string) => jane.getByRole('heading', { name: new RegExp(`^#${n} `) });
    await jane.keyboard.press('j');
    await heading(numbers![0]!).waitFor();
    await jane.keyboard.press('j');
    await heading(numbers![1]!).waitFor();
    await jane.keyboard.press('k');
    await heading(numbers![0]!).waitFor();
    expect(jane.url()).toBe(`${env.desk.url}/agent/tickets/${numbers![0]}`);

    await jane.keyboard.press('?');
    const help = jane.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Assign the ticket to me').waitFor();
    await jane.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // r focuses the reply; letters typed there are text, not shortcuts.
    await jane.keyboard.press('r');
    const reply = jane.getByRole('textbox', { name: 'Reply' });
    await expect.poll(() => hasFocus(reply)).toBe(true);
    await jane.keyboard.type('Just a quick update: we are on it.');
    expect(jane.url()).toBe(`${env.desk.url}/agent/tickets/${numbers![0]}`);
    await jane.getByRole('button', { name: 'Insert signature' }).click();
    expect(await reply.inputValue()).toBe(`Just a quick update: we are on it.\n\n${SIGNATURE}`);
    await jane.getByRole('button', { name: 'Send reply' }).click();
    await jane.locator('[data-kind="reply"]', { hasText: 'Deskline Support' }).waitFor();

    // Hand it to the admin with the select, then take it back with a.
    await pick(jane, /^Assign agent/, 'Deskline Admin');
    await expect.poll(() => text(jane, 'Assignee')).toBe('Deskline Admin');
    await jane.evaluate(BLUR);
    await jane.keyboard.press('a');
    await expect.poll(() => text(jane, 'Assignee')).toBe('Jane Doe');
    await pick(jane, /^Change priority/, 'Low');
    await expect.poll(() => text(jane, 'Priority')).toBe('Low');

    // Closing through the status select needs a reason: the API's refusal is shown.
    await pick(jane, /^Change status/, 'Closed');
    await jane
      .getByRole('alert')
      .filter({ hasText: /reason/i })
      .waitFor();
    expect(await text(jane, 'Status')).not.toBe('Closed');

    // Close… on unresolved work asks for the reason (without one the dialog stays and says so); Reopen brings it back.
    await jane.getByRole('button', { name: 'Close…' }).click();
    const dialog = jane.getByRole('dialog', { name: `Close #${numbers![0]}` });
    const closeTicket = dialog.getByRole('button', { name: 'Close ticket' });
    await closeTicket.click();
    await dialog.getByText('Say why this ticket is closed: it was not resolved.').waitFor();
    await dialog.getByRole('textbox', { name: 'Reason for closing' }).fill('Duplicate of an older ticket');
    await closeTicket.click();
    await expect.poll(() => text(jane, 'Status')).toBe('Closed');
    await jane.getByRole('button', { name: 'Reopen' }).click();
    await expect.poll(() => text(jane, 'Status')).not.toBe('Closed');
    expect(await jane.getByRole('button', { name: 'Resolve', exact: true }).count()).toBe(1);

    // A resolved ticket closes without a reason: the normal end of its story.
    await jane.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect.poll(() => text(jane, 'Status')).toBe('Resolved');
    await jane.getByRole('button', { name: 'Close…' }).click();
    await dialog.getByRole('textbox', { name: 'Reason for closing (optional)' }).waitFor();
    await closeTicket.click();
    await expect.poll(() => text(jane, 'Status')).toBe('Closed');
    await jane.getByRole('button', { name: 'Reopen' }).click();
    await expect.poll(() => text(jane, 'Status')).not.toBe('Closed');

    // A ticket whose message came as HTML (email) shows its text, never the markup.
    const created = await jane.context().request.post(`${env.desk.url}/api/v1/tickets`, {
      headers: { 'x-csrf-token': csrf },
      data: {
        subject: 'HTML from a mail client',
        body: '<p>Hello <b>team</b>,</p><p>the VPN is down.<br>Regards</p><script>document.title="x"</script>',
        format: 'html',
        requester: { email: 'html.sender@example.org', name: 'Html Sender' },
      },
    });
    expect(created.status()).toBe(201);
    const { number } = (await created.json()) as { number: string };
    await jane.goto(`${env.desk.url}/agent/tickets/${number}`);
    const message = jane.locator('[data-kind="message"]');
    await message.getByText('Hello team,').waitFor();
    expect(await message.textContent()).not.toContain('<p>');
    expect(await message.textContent()).not.toContain('document.title');
  }, 90_000);
});
