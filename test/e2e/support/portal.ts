import type { Page } from 'playwright-core';
import { pick } from './dom.ts';
import { signIn } from './session.ts';

// Customer-portal moves the browser tests share.

/** Signs Karen, the demo customer, in to the portal page at `url`. */
export const signInKaren = (page: Page, url: string): Promise<void> =>
  signIn(page, url, 'karen@example.com', 'deskline-customer');

/** Karen's outage, as the portal and seed-scenario tests open it. */
export const OUTAGE = {
  topic: 'Business Critical Outage',
  subject: 'Mobile online banking is down',
  message: 'Customers cannot log in to mobile banking since 9:00.',
};

interface NewTicket {
  topic: string;
  subject: string;
  message: string;
  /** Someone not signed in gives a name and an email. */
  visitor?: { name: string; email: string };
}

/**
 * Opens a ticket with the portal's form (from a portal page showing "Open a
 * ticket") and returns its number: from the ticket page a customer is taken
 * to, or from the confirmation a visitor sees.
 */
export async function openPortalTicket(page: Page, t: NewTicket): Promise<string> {
  await page.getByRole('button', { name: 'Open a ticket' }).click();
  await pick(page, /^Help topic/, t.topic);
  if (t.visitor) {
    await page.getByRole('textbox', { name: 'Your name' }).fill(t.visitor.name);
    await page.getByRole('textbox', { name: 'Your email' }).fill(t.visitor.email);
  }
  await page.getByRole('textbox', { name: 'Subject' }).fill(t.subject);
  await page.getByRole('textbox', { name: 'Message' }).fill(t.message);
  await page.getByRole('button', { name: 'Submit' }).click();
  if (t.visitor) {
    const status = page.getByRole('status');
    // The first write to a desk that just started may wait behind its worker's backlog.
    await status.waitFor({ timeout: 20_000 });
    return /Ticket #(\d+) is open/.exec((await status.textContent()) ?? '')![1]!;
  }
  await page.getByRole('heading', { name: t.subject }).waitFor();
  return /\/tickets\/(\d+)/.exec(page.url())![1]!;
}
