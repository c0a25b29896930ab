import { describe, expect, it } from 'vitest';
import { staffApi, waitForMail } from './support/admin-api.ts';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// Phone intake in Chromium against `deskline start`: Jane finds a known
// customer by typing part of her name, opens a ticket for her without the
// acknowledgement, and the mail log holds no acknowledgement for that ticket
// (while the same desk does acknowledge a ticket opened with the box ticked).

describe('phone intake in Chromium', () => {
  const env = useBrowserAndDesk();

  const openFor = async (search: string, subject: string, acknowledge: boolean) => {
    const page = await newPage(env.browser, 1280, 900);
    await signIn(page, `${env.desk.url}/agent/new`, 'jane@deskline.local', 'deskline-agent');
    await page.getByRole('textbox', { name: 'Find the caller' }).fill(search);
    const option = page.getByRole('option', { name: /Karen Smith/ });
    expect(await option.textContent()).toContain('karen@example.com · Example Corp');
    await option.click();
    await page.getByLabel('Caller').getByText('Karen Smith').waitFor();
    expect(await page.getByRole('textbox', { name: "Caller's email" }).count()).toBe(0);
    await page
      .getByLabel(/^Help topic/)
      .first()
      .click();
    await page.getByRole('option', { name: 'General Inquiry' }).click();
    await page
      .getByLabel(/^Priority/)
      .first()
      .click();
    await page.getByRole('option', { name: 'High' }).click();
    await page.getByRole('textbox', { name: 'Subject' }).fill(subject);
    await page.getByRole('textbox', { name: 'What the caller said' }).fill('Called about it just now.');
    if (!acknowledge) await page.getByLabel('Send the caller an acknowledgement email').uncheck();
    await page.getByRole('button', { name: 'Create ticket' }).click();
    await page.getByRole('heading', { name: new RegExp(subject) }).waitFor();
    const number = /\/agent\/tickets\/(\d+)$/.exec(page.url())![1]!;
    await page.close();
    return number;
  };

  it('Jane picks Karen by search, skips the acknowledgement, and no acknowledgement is mailed', async () => {
    const silent = await openFor('kar', 'Card reader beeps', false);
    const acknowledged = await openFor('Smith', 'Card reader beeps again', true);
    const admin = await staffApi(env.browser, env.desk.url);
    // The worker handles a desk's jobs in order: once the later ticket's acknowledgement is out, the earlier one's would be too.
    const later = await waitForMail(admin, { ticket: acknowledged }, (m) => m.some((x) => x.kind === 'auto'));
    expect(later.find((m) => m.kind === 'auto')!.to).toBe('karen@example.com');
    const { items } = await admin.get<{ items: { kind: string | null; subject: string }[] }>(
      `/api/v1/mail/outbox?ticket=${silent}`,
    );
    expect(items.filter((m) => m.kind === 'auto')).toEqual([]);
    // The ticket is Karen's, by phone, with the priority Jane chose over the topic's.
    const ticket = await admin.get<{ source: string; priority: string; requester: { email: string } }>(
      `/api/v1/tickets/${silent}`,
    );
    expect(ticket).toMatchObject({
      source: 'phone',
      priority: 'High',
      requester: { email: 'karen@example.com' },
    });
  });
});
