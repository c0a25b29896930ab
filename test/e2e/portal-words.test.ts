import { describe, expect, it } from 'vitest';
import { staffApi } from './support/admin-api.ts';
import { pick } from './support/dom.ts';
import { openPortalTicket, signInKaren } from './support/portal.ts';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// Issue 19, words people use: the portal names statuses by what they mean for
// the customer and highlights tickets waiting for them; a reply and a
// confirmation say they worked; refusals are plain sentences at their field
// (web/src/ui/errorText.ts), in the portal and in the agent panel.

describe('plain words in Chromium', () => {
  const env = useBrowserAndDesk();

  it('Karen sees customer status names, the ticket waiting for her, and confirmations', async () => {
    const karen = await newPage(env.browser, 1280, 800);
    await signInKaren(karen, `${env.desk.url}/`);
    const number = await openPortalTicket(karen, {
      topic: 'General Inquiry',
      subject: 'Invoice address',
      message: 'Please change the address on my invoices.',
    });
    const status = () => karen.getByLabel('Status').textContent();
    expect(await status()).toBe('We’re working on it');

    await karen.getByRole('textbox', { name: 'Your reply' }).fill('The new address is 1 Main St.');
    await karen.getByRole('button', { name: 'Send' }).click();
    await karen.getByRole('status').getByText('Your reply was sent').waitFor();
    expect(await karen.getByRole('textbox', { name: 'Your reply' }).inputValue()).toBe('');

    // Jane asks Karen something: the ticket waits for her, and My tickets says so.
    const jane = await staffApi(env.browser, env.desk.url, 'jane@deskline.local', 'deskline-agent');
    await jane.post(`/api/v1/tickets/${number}/status`, { status: 'Awaiting customer' });
    await karen.reload();
    await expect.poll(status).toBe('Waiting for your reply');
    await karen.goto(`${env.desk.url}/`);
    const row = karen
      .getByRole('table', { name: 'My tickets' })
      .getByRole('row', { name: /Invoice address/ });
    await row.waitFor();
    expect(await row.getAttribute('data-awaiting')).toBe('true');
    expect(await row.textContent()).toContain('Waiting for your reply');
    await karen
      .getByText(/waiting for your reply$/)
      .first()
      .waitFor();
    await karen.screenshot({ path: 'docs/screenshots/portal-my-tickets.png', fullPage: true });

    // Resolved: Karen confirms and is told so.
    await jane.post(`/api/v1/tickets/${number}/resolve`, {});
    await karen.goto(`${env.desk.url}/tickets/${number}`);
    await expect.poll(status).toBe('Resolved');
    await karen.getByRole('button', { name: 'This solved my problem' }).click();
    await karen.getByRole('status').getByText('Thank you for confirming').waitFor();
    await expect.poll(status).toBe('Closed');
  });

  it('a visitor sees a wrong email address explained at the field', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.desk.url}/`);
    await page.getByRole('button', { name: 'Open a ticket' }).click();
    await pick(page, /^Help topic/, 'General Inquiry');
    await page.getByRole('textbox', { name: 'Your name' }).fill('Pat Visitor');
    await page.getByRole('textbox', { name: 'Your email' }).fill('pat@');
    await page.getByRole('textbox', { name: 'Subject' }).fill('Opening hours');
    await page.getByRole('textbox', { name: 'Message' }).fill('When is the office open?');
    await page.getByRole('button', { name: 'Submit' }).click();
    const email = page.getByRole('textbox', { name: 'Your email' });
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Enter a valid email address.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/requester\.email|not a valid email/);
  });

  it('agents see plain words at the field: sign-in and phone intake', async () => {
    const page = await newPage(env.browser);
    await signIn(page, `${env.desk.url}/agent/`, 'jane@', 'deskline-agent');
    await page.getByText('Enter a valid email address.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Email' }).getAttribute('aria-invalid')).toBe('true');

    await signIn(page, `${env.desk.url}/agent/new`, 'jane@deskline.local', 'deskline-agent');
    await page.getByRole('textbox', { name: /^Caller's email/ }).fill('caller@');
    await page.getByRole('textbox', { name: /^Subject/ }).fill('Card blocked');
    await page.getByRole('textbox', { name: /^What the caller said/ }).fill('The card was blocked abroad.');
    await page.getByRole('button', { name: 'Create ticket' }).click();
    await page.getByText('Enter a valid email address.').waitFor();
    expect(await page.getByRole('textbox', { name: /^Caller's email/ }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await page.locator('body').textContent()).not.toMatch(/requester\.email|not a valid email/);
  });
});
