import { request, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BLUR, hasFocus, pick } from './support/dom.ts';
import { openPortalTicket, OUTAGE, signInKaren } from './support/portal.ts';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// The seed scenario of issue 6, end to end in Chromium against `deskline
// start`: Karen's outage from the portal to Jane's Closed queue, with Jerry
// (SysAdmin team) in his own browser, live updates without reloading, the
// collision indicator, an attachment preview, and the ticket view's screenshots.

/** A 48×32 PNG (a small bar chart). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAIAAADbtmxLAAAARUlEQVR42u3OsQ0AEABEUdNp7T+AVmEBFhBCSBQv+eUl90Kp7asCEBAQEBAQ0LwU8zAgICCgU9DuARAQENAK9PoA6Pa+A3a2yrp3l7inAAAAAElFTkSuQmCC',
  'base64',
);

const status = (page: Page) => page.getByLabel('Status', { exact: true }).textContent();

describe('the seed scenario in Chromium', () => {
  const env = useBrowserAndDesk();

  it('Karen’s outage: portal → Jane, Jerry (live) → resolved → confirmed → Jane’s Closed queue', async () => {
    // Karen opens the outage under its help topic.
    const karen = await newPage(env.browser, 1100, 800);
    await signInKaren(karen, `${env.desk.url}/`);
    const number = await openPortalTicket(karen, OUTAGE);

    // Her acknowledgement with the number is in the mail log.
    const admin = await request.newContext({ baseURL: env.desk.url });
    expect(
      (
        await admin.post('/api/v1/session', {
          data: { email: 'admin@deskline.local', password: 'deskline-admin' },
        })
      ).ok(),
    ).toBe(true);
    await expect
      .poll(
        async () => {
          const log = (await (await admin.get('/api/v1/mail/outbox?limit=50')).json()) as {
            items: { ticket: string | null; to: string; subject: string; body: string; status: string }[];
          };
          // Logged (there is no SMTP relay here), not skipped by the hourly limit.
          return log.items.some(
            (m) =>
              m.ticket === number &&
              m.to.includes('karen@example.com') &&
              m.status === 'logged' &&
              `${m.subject} ${m.body}`.includes(number),
          );
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await admin.dispose();

    // Jerry (SysAdmin) cannot see a Support ticket yet.
    const jerry = await newPage(env.browser, 1280, 800);
    await signIn(jerry, `${env.desk.url}/agent/tickets/${number}`, 'jerry@deskline.local', 'deskline-agent');
    await jerry
      .getByRole('alert')
      .filter({ hasText: /not found/i })
      .waitFor();

    // Jane sees it at the top of her queue and opens it: Emergency, the topic's SLA in the header.
    const jane = await newPage(env.browser, 1280, 800);
    await signIn(jane, `${env.desk.url}/agent/`, 'jane@deskline.local', 'deskline-agent');
    const queue = jane.getByRole('table', { name: 'Open tickets' });
    await queue.waitFor();
    await expect.poll(() => queue.locator('tbody tr').first().textContent()).toContain(number);
    await queue.locator('tbody tr').first().getByRole('link').first().click();
    await jane.getByRole('heading', { name: new RegExp(`^#${number} ${OUTAGE.subject}`) }).waitFor();
    expect(await jane.getByLabel('Priority', { exact: true }).textContent()).toBe('Emergency');
    expect(await jane.getByLabel('SLA plan', { exact: true }).textContent()).toBe('Critical Outage');
    expect(await jane.getByLabel('Help topic', { exact: true }).textContent()).toBe(
      'Business Critical Outage',
    );
    expect(await jane.getByLabel('First response due', { exact: true }).textContent()).toMatch(/\d/);

    // Takes it, replies with a screenshot attached, adds an internal note, hands it to the SysAdmin team.
    await jane.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => jane.getByLabel('Assignee', { exact: true }).textContent()).toBe('Jane Doe');
    await jane
      .getByRole('textbox', { name: 'Reply' })
      .fill('We are on it: the mobile gateway is failing over. Status page attached.');
    await jane
      .locator('input[type="file"]')
      .setInputFiles({ name: 'status-page.png', mimeType: 'image/png', buffer: PNG });
    await jane.getByLabel('Files to attach').getByText('status-page.png').waitFor();
    await pick(jane, /^Set status on send/, 'Awaiting customer');
    await jane.getByLabel('Composer').scrollIntoViewIfNeeded();
    await jane.screenshot({ path: 'docs/screenshots/agent-composer.png' });
    await jane.getByRole('button', { name: 'Send reply' }).click();
    const preview = jane.locator('[data-kind="reply"] img[alt="status-page.png"]');
    await preview.waitFor();
    await expect
      .poll(() => preview.evaluate((img) => (img as { naturalWidth: number }).naturalWidth))
      .toBe(48);
    await expect.poll(() => status(jane)).toBe('Awaiting customer');

    await jane.keyboard.press('n'); // the note shortcut focuses the composer in note mode
    const note = jane.getByRole('textbox', { name: 'Note' });
    await expect.poll(() => hasFocus(note)).toBe(true);
    await note.fill('Gateway logs show the LB pair in DC2 flapping.');
    await jane.getByRole('button', { name: 'Add note' }).click();
    await jane.locator('[data-kind="note"]', { hasText: 'LB pair in DC2' }).waitFor();
    await pick(jane, /^Assign team/, 'SysAdmin');
    await expect.poll(() => jane.getByLabel('Team', { exact: true }).textContent()).toBe('SysAdmin');

    // Jerry now sees it; Jane sees him arrive, then his note, without reloading (the marker survives).
    await jane.evaluate('window.notReloaded = true');
    await jerry.reload();
    await jerry.getByRole('heading', { name: new RegExp(`^#${number} `) }).waitFor();
    await jane.getByRole('status', { name: 'Jerry Roe is viewing' }).waitFor({ timeout: 15_000 });
    await jerry.getByText('Internal note', { exact: true }).click();
    await jerry.getByRole('textbox', { name: 'Note' }).fill('Replaced the failed load balancer');
    await jane.getByRole('status', { name: 'Jerry Roe is replying' }).waitFor({ timeout: 15_000 });
    await jerry.getByRole('button', { name: 'Add note' }).click();
    await jane
      .locator('[data-kind="note"]', { hasText: 'Replaced the failed load balancer' })
      .waitFor({ timeout: 10_000 });
    expect(await jane.evaluate<boolean>('window.notReloaded === true')).toBe(true);
    await jane
      .getByRole('button', { name: /\d+ events?/ })
      .first()
      .click();
    await jane.evaluate(`${BLUR}; window.scrollTo(0, 0)`);
    await jane.mouse.move(1270, 790);
    await jane.screenshot({ path: 'docs/screenshots/agent-ticket.png' });
    await jerry.close();

    // Jane resolves it with a reply (r: the reply shortcut, once the focus is out of any field).
    await jane.evaluate(BLUR);
    await jane.keyboard.press('r');
    await jane
      .getByRole('textbox', { name: 'Reply' })
      .fill('The failed load balancer was replaced; mobile banking works again.');
    await pick(jane, /^Set status on send/, 'Resolved');
    await jane.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => status(jane)).toBe('Resolved');

    // Karen sees the replies (never the notes) and confirms.
    await karen.reload();
    await karen.locator('[data-kind="reply"]', { hasText: 'mobile banking works again' }).waitFor();
    expect(await karen.getByText('Replaced the failed load balancer').count()).toBe(0);
    expect(await karen.getByText('LB pair in DC2').count()).toBe(0);
    await karen.getByRole('button', { name: 'This solved my problem' }).click();
    await expect
      .poll(() =>
        karen
          .getByLabel(/^Status/)
          .first()
          .textContent(),
      )
      .toContain('Closed');

    // It is in Jane's Closed queue, with the whole history.
    await jane.goto(`${env.desk.url}/agent/queues/closed`);
    const closed = jane.getByRole('table', { name: 'Closed tickets' });
    await closed.locator('tbody tr', { hasText: number }).getByRole('link').first().click();
    await jane.getByRole('heading', { name: new RegExp(`^#${number} `) }).waitFor();
    expect(await status(jane)).toBe('Closed');
    const kinds = await jane
      .locator('[data-kind="message"], [data-kind="reply"], [data-kind="note"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['message', 'reply', 'note', 'note', 'reply']);
    await jane
      .getByRole('button', { name: /\d+ events?/ })
      .last()
      .click();
    await jane
      .getByText(/closed/i)
      .first()
      .waitFor();
  }, 120_000);
});
