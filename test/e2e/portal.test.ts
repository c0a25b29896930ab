import { describe, expect, it } from 'vitest';
import { openPortalTicket, OUTAGE, signInKaren } from './support/portal.ts';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// The customer portal in Chromium against `deskline start`: Karen opens an
// outage ticket under its help topic, Jane answers and resolves it in the
// agent panel, Karen sees the answer and confirms; a visitor opens a ticket
// without an account; Karen cannot read someone else's ticket.

describe('customer portal in Chromium', () => {
  const env = useBrowserAndDesk();

  it('Karen opens an outage ticket, Jane resolves it, Karen confirms', async () => {
    const karen = await newPage(env.browser, 1280, 800);
    await signInKaren(karen, `${env.desk.url}/`);
    const number = await openPortalTicket(karen, OUTAGE);
    expect(await karen.getByLabel('Status').textContent()).toBe('We’re working on it');

    // Jane, in her own browser context, answers and resolves.
    const jane = await newPage(env.browser, 1280, 800);
    await signIn(jane, `${env.desk.url}/agent/tickets/${number}`, 'jane@deskline.local', 'deskline-agent');
    await jane.getByRole('heading', { name: new RegExp(`^#${number} `) }).waitFor();
    await jane
      .getByRole('textbox', { name: 'Reply' })
      .fill('The load balancer was replaced; please try again.');
    await jane.getByRole('button', { name: 'Send reply' }).click();
    await jane.locator('[data-kind="reply"]').waitFor();
    await jane.getByText('Internal note', { exact: true }).click();
    await jane.getByRole('textbox', { name: 'Note' }).fill('Failed LB in rack 4.');
    await jane.getByRole('button', { name: 'Add note' }).click();
    await jane.locator('[data-kind="note"]').waitFor();
    await jane.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect.poll(() => jane.getByLabel('Status', { exact: true }).textContent()).toBe('Resolved');

    // Karen sees the reply (never the note) and confirms.
    await karen.reload();
    await karen.locator('[data-kind="reply"]', { hasText: 'load balancer was replaced' }).waitFor();
    expect(await karen.getByText('Failed LB in rack 4.').count()).toBe(0);
    await karen.screenshot({ path: 'docs/screenshots/portal-ticket.png', fullPage: true });
    await karen.getByRole('button', { name: 'This solved my problem' }).click();
    await expect.poll(() => karen.getByLabel('Status').textContent()).toBe('Closed');
  });

  it('a visitor opens a ticket without an account and gets its number', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.desk.url}/`);
    const number = await openPortalTicket(page, {
      topic: 'General Inquiry',
      subject: 'Opening hours',
      message: 'When is the office open?',
      visitor: { name: 'Pat Visitor', email: 'pat@example.org' },
    });
    expect(await page.getByRole('status').textContent()).toContain(`Ticket #${number} is open`);
  });

  it("Karen cannot read another customer's ticket by its number", async () => {
    const page = await newPage(env.browser);
    await signInKaren(page, `${env.desk.url}/`);
    await page.getByRole('table', { name: 'My tickets' }).waitFor();
    // Demo ticket 100004 belongs to another requester (Alex Moreno).
    await page.goto(`${env.desk.url}/tickets/100004`);
    await page.getByText('That ticket was not found.').waitFor();
  });
});
