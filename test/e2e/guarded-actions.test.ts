import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pick } from './support/dom.ts';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// Issue 19, guarded actions: a dialog keeps its refusals inside and stays
// open; a transfer that takes the ticket out of the agent's reach is asked
// first and lands in the queue with a notice instead of "ticket not found".

const text = (page: Page, label: string) => page.getByLabel(label, { exact: true }).textContent();

/** A fresh Support ticket with no team, opened by the page's own session. */
async function freshTicket(page: Page, base: string, subject: string): Promise<string> {
  const csrf = await page.evaluate<string>("sessionStorage.getItem('deskline.csrf')");
  const created = await page.context().request.post(`${base}/api/v1/tickets`, {
    headers: { 'x-csrf-token': csrf },
    data: {
      subject,
      body: 'The shared drive is read-only since this morning.',
      department: 'Support',
      requester: { email: 'guarded.actions@example.org', name: 'Guarded Actions' },
    },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { number: string }).number;
}

describe('guarded actions in Chromium', () => {
  const env = useBrowserAndDesk();

  it('Close… keeps a missing reason and a refusal inside the dialog, and closes once both are fixed', async () => {
    const jane = await newPage(env.browser);
    await signIn(jane, `${env.desk.url}/agent/`, 'jane@deskline.local', 'deskline-agent');
    await jane.getByRole('table', { name: 'Open tickets' }).waitFor();
    const number = await freshTicket(jane, env.desk.url, 'Shared drive read-only');
    await jane.goto(`${env.desk.url}/agent/tickets/${number}`);
    await jane.getByRole('heading', { name: new RegExp(`^#${number} `) }).waitFor();

    await jane.getByRole('button', { name: 'Close…' }).click();
    const dialog = jane.getByRole('dialog', { name: `Close #${number}` });
    const closeTicket = dialog.getByRole('button', { name: 'Close ticket' });
    // Empty: the dialog stays and says why, at the field.
    await closeTicket.click();
    await dialog.getByText('Say why this ticket is closed: it was not resolved.').waitFor();
    expect(await dialog.isVisible()).toBe(true);
    await jane.waitForTimeout(300); // the dialog's transition
    await jane.screenshot({ path: 'docs/screenshots/agent-close-refused.png' });
    // Refused by the server (a reason over 2,000 characters): shown inside, the dialog stays open.
    const reason = dialog.getByRole('textbox', { name: 'Reason for closing' });
    await reason.fill('x'.repeat(2_001));
    await closeTicket.click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toBe('Use at most 2000 characters.');
    expect(await text(jane, 'Status')).toBe('Open');
    // Fixed: it closes and the dialog goes.
    await reason.fill('Duplicate of an older ticket');
    await closeTicket.click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => text(jane, 'Status')).toBe('Closed');
    await jane.close();
  }, 60_000);

  it('a transfer out of the agent’s reach is confirmed first and lands in the queue with a notice', async () => {
    const jane = await newPage(env.browser);
    await signIn(jane, `${env.desk.url}/agent/`, 'jane@deskline.local', 'deskline-agent');
    await jane.getByRole('table', { name: 'Open tickets' }).waitFor();
    const number = await freshTicket(jane, env.desk.url, 'Invoice PDF is blank');
    await jane.goto(`${env.desk.url}/agent/tickets/${number}`);
    await jane.getByRole('heading', { name: new RegExp(`^#${number} `) }).waitFor();

    // Jane works in Support only: Billing would take the ticket away. Cancel keeps it.
    await pick(jane, /^Transfer to department/, 'Billing');
    const confirm = jane.getByRole('dialog', { name: `Transfer #${number} to Billing?` });
    await confirm.getByText('you will no longer see it').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect(await text(jane, 'Department')).toBe('Support');

    await pick(jane, /^Transfer to department/, 'Billing');
    await jane.waitForTimeout(300);
    await jane.screenshot({ path: 'docs/screenshots/agent-transfer-away.png' });
    await confirm.getByRole('button', { name: 'Transfer' }).click();
    const notice = jane.getByRole('status', { name: 'Ticket moved' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      `#${number} is now with Billing. You no longer have access to it.`,
    );
    expect(new URL(jane.url()).pathname).not.toContain(number);
    expect(await jane.getByText('ticket not found', { exact: false }).count()).toBe(0);
    await jane.screenshot({ path: 'docs/screenshots/agent-transfer-notice.png' });

    // The admin sees it in Billing.
    const admin = await newPage(env.browser);
    await signIn(admin, `${env.desk.url}/agent/tickets/${number}`, 'admin@deskline.local', 'deskline-admin');
    await expect.poll(() => text(admin, 'Department')).toBe('Billing');
    await admin.close();
    await jane.close();
  }, 60_000);
});
