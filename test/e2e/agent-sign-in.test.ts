import { describe, expect, it } from 'vitest';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// The agent panel in a real browser against `deskline start`: sign-in, a
// wrong password, and the queue with the demo desk's tickets.

describe('agent panel in Chromium', () => {
  const env = useBrowserAndDesk();
  const jane = async (width = 1280, height = 800) => {
    const page = await newPage(env.browser, width, height);
    await signIn(page, `${env.desk.url}/agent/`, 'jane@deskline.local', 'deskline-agent');
    return page;
  };

  it('a wrong password is refused with a clear message', async () => {
    const page = await newPage(env.browser);
    await signIn(page, `${env.desk.url}/agent/`, 'jane@deskline.local', 'not-her-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password');
    await page.close();
  });

  it('Jane signs in and sees the open queue with the demo tickets', async () => {
    const page = await jane(1280, 800);
    const table = page.getByRole('table', { name: 'Open tickets' });
    await table.waitFor();
    // The demo desk's open tickets in Jane's department.
    expect(await table.locator('tbody tr').count()).toBe(12);
    await page.getByRole('link', { name: 'Unassigned' }).click();
    await page.getByRole('heading', { name: 'Unassigned' }).waitFor();

    // Open the first unassigned ticket, take it, answer, note, resolve.
    const unassigned = page.getByRole('table', { name: 'Unassigned tickets' });
    const number = (await unassigned.locator('tbody tr td').first().textContent())!.trim();
    await unassigned.locator('tbody tr a').first().click();
    await page.getByRole('heading', { name: new RegExp(`^#${number} `) }).waitFor();
    expect(page.url()).toBe(`${env.desk.url}/agent/tickets/${number}`);
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => page.getByLabel('Assignee', { exact: true }).textContent()).toContain('Jane Doe');
    await page.getByRole('textbox', { name: 'Reply' }).fill('We are looking into it.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('[data-kind="reply"]', { hasText: 'We are looking into it.' }).waitFor();
    await page.getByText('Internal note', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Note' }).fill('Checked the logs: SSO certificate expired.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('[data-kind="note"]', { hasText: 'SSO certificate expired' }).waitFor();
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect.poll(() => page.getByLabel('Status', { exact: true }).textContent()).toBe('Resolved');
    // A reload lands on the same ticket.
    await page.reload();
    await page.getByRole('heading', { name: new RegExp(`^#${number} `) }).waitFor();
    await page.close();
  });

  it('phone intake: Jane opens a ticket for a caller and lands on it', async () => {
    const page = await jane(1280, 900);
    await page.getByRole('button', { name: 'New ticket' }).click();
    await page.getByRole('textbox', { name: "Caller's email" }).fill('sam.caller@example.com');
    await page.getByRole('textbox', { name: "Caller's name" }).fill('Sam Caller');
    await page
      .getByLabel(/^Help topic/)
      .first()
      .click();
    await page.getByRole('option', { name: 'Report a Problem' }).click();
    await page.getByRole('textbox', { name: 'Subject' }).fill('Scanner jams on every page');
    await page.getByRole('textbox', { name: 'What the caller said' }).fill('The scanner in room 2 jams.');
    await page.getByLabel('Send the caller an acknowledgement email').uncheck();
    await page.getByRole('button', { name: 'Create ticket' }).click();
    await page.getByRole('heading', { name: /Scanner jams on every page/ }).waitFor();
    expect(page.url()).toMatch(/\/agent\/tickets\/\d+$/);
    await page.getByText('Ticket opened via phone').waitFor();
    // The help topic's priority (High) applied; the caller is the requester.
    expect(await page.getByText('Sam Caller').count()).toBe(2);
    expect(await page.getByLabel('Priority', { exact: true }).textContent()).toBe('High');
    await page.screenshot({ path: 'docs/screenshots/agent-phone-ticket.png' });
  });

  it('search: results by subject shown as a queue; an exact number opens the ticket', async () => {
    const page = await jane(1280, 800);
    const box = page.getByRole('textbox', { name: 'Search tickets' });
    await box.fill('printer');
    await box.press('Enter');
    const results = page.getByRole('table', { name: 'Search: printer tickets' });
    await results.waitFor();
    const subjects = await results.locator('tbody tr td:nth-child(2) a').allTextContents();
    expect(subjects).toEqual([
      'Printer on floor 3 offline',
      'Printer on floor 3 offline',
      'Printer on floor 3 offline',
    ]);
    await box.fill('100001');
    await box.press('Enter');
    await page.getByRole('heading', { name: /^#100001 / }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/agent/tickets/100001');
  });
});
