import { describe, expect, it } from 'vitest';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// The customer portal in Chromium against `deskline start`: Karen opens an
// outage ticket under its help topic, Jane answers and resolves it in the
// agent panel, Karen sees the answer and confirms; a visitor opens a ticket
// without an account; Karen cannot read someone else's ticket.

describe('customer portal in Chromium', () => {
  const env = useBrowserAndDesk();

  it('Karen opens an outage ticket, Jane resolves it, Karen confirms', async () => {
    const karen = await newPage(env.browser, 1280, 800);
    await signIn(karen, `${env.desk.url}/`, 'karen@example.com', 'deskline-customer');
    await karen.getByRole('button', { name: 'Open a ticket' }).click();
    await karen
      .getByLabel(/^Help topic/)
      .first()
      .click();
    await karen.getByRole('option', { name: 'Business Critical Outage' }).click();
    await karen.getByRole('textbox', { name: 'Subject' }).fill('Mobile online banking is down');
    await karen
      .getByRole('textbox', { name: 'Message' })
      .fill('Customers cannot log in to mobile banking since 9:00.');
    await karen.getByRole('button', { name: 'Submit' }).click();
    await karen.getByRole('heading', { name: /Mobile online banking is down/ }).waitFor();
    const number = /\/tickets\/(\d+)/.exec(karen.url())![1]!;
    expect(await karen.getByLabel('Status').textContent()).toBe('Open');

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
    await page.getByRole('button', { name: 'Open a ticket' }).click();
    await page
      .getByLabel(/^Help topic/)
      .first()
      .click();
    await page.getByRole('option', { name: 'General Inquiry' }).click();
    await page.getByRole('textbox', { name: 'Your name' }).fill('Pat Visitor');
    await page.getByRole('textbox', { name: 'Your email' }).fill('pat@example.org');
    await page.getByRole('textbox', { name: 'Subject' }).fill('Opening hours');
    await page.getByRole('textbox', { name: 'Message' }).fill('When is the office open?');
    await page.getByRole('button', { name: 'Submit' }).click();
    const status = page.getByRole('status');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/Ticket #\d+ is open/);
  });

  it("Karen cannot read another customer's ticket by its number", async () => {
    const page = await newPage(env.browser);
    await signIn(page, `${env.desk.url}/`, 'karen@example.com', 'deskline-customer');
    await page.getByRole('table', { name: 'My tickets' }).waitFor();
    // Demo ticket 100004 belongs to another requester (Alex Moreno).
    await page.goto(`${env.desk.url}/tickets/100004`);
    await page.getByText('ticket not found').waitFor();
  });
});
