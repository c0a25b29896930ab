import { describe, expect, it } from 'vitest';
import { staffApi, waitForMail } from './support/admin-api.ts';
import { openPortalTicket, signInKaren } from './support/portal.ts';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// The satisfaction survey in Chromium against `deskline start`: Jane resolves
// Karen's ticket, the survey mail's "4" link opens the survey page (which
// records nothing by itself), Karen confirms with a comment, and Jane sees the
// rating in the ticket header.

describe('satisfaction survey in Chromium', () => {
  const env = useBrowserAndDesk();

  it('Karen rates a resolved ticket from the mailed link; Jane sees the rating', async () => {
    const karen = await newPage(env.browser);
    await signInKaren(karen, `${env.desk.url}/`);
    const number = await openPortalTicket(karen, {
      topic: 'General Inquiry',
      subject: 'Invoice address',
      message: 'Please change the invoice address.',
    });

    const jane = await newPage(env.browser);
    await signIn(jane, `${env.desk.url}/agent/tickets/${number}`, 'jane@deskline.local', 'deskline-agent');
    await jane.getByRole('heading', { name: new RegExp(`^#${number} `) }).waitFor();
    await jane.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect.poll(() => jane.getByLabel('Status', { exact: true }).textContent()).toBe('Resolved');

    // The survey mail, read from the mail log as an admin.
    const admin = await staffApi(env.browser, env.desk.url);
    const mails = await waitForMail(admin, { ticket: number }, (m) =>
      m.some((x) => x.subject.includes('How did we do?')),
    );
    const survey = mails.find((m) => m.subject.includes('How did we do?'))!;
    expect(survey.to).toBe('karen@example.com');
    const link = /https?:\/\/\S+(\/survey\/[\w-]+\?score=4)/.exec(survey.body)?.[1];
    expect(link, survey.body).toMatch(/^\/survey\/[\w-]{43}\?score=4$/);

    // Opening the link (as a mail scanner would) records nothing.
    const visitor = await newPage(env.browser);
    await visitor.goto(`${env.desk.url}${link}`);
    await visitor.getByRole('heading', { name: 'How did we do?' }).waitFor();
    expect(await visitor.getByText(`Ticket #${number} · Invoice address`).count()).toBe(1);
    expect(await visitor.getByRole('radio', { name: '4 of 5, Satisfied' }).isChecked()).toBe(true);
    expect((await admin.get<{ rating: unknown }>(`/api/v1/tickets/${number}`)).rating).toBeNull();

    await visitor.getByRole('textbox', { name: 'Comment (optional)' }).fill('Fast and friendly, thank you!');
    await visitor.getByRole('button', { name: 'Confirm my rating' }).click();
    await visitor.getByText('Your rating is saved').waitFor();
    await visitor.screenshot({ path: 'docs/screenshots/portal-survey.png' });
    expect((await admin.get<{ rating: unknown }>(`/api/v1/tickets/${number}`)).rating).toMatchObject({
      score: 4,
      scale: 'five',
      comment: 'Fast and friendly, thank you!',
    });

    // The agent's ticket header shows it.
    await jane.reload();
    const rating = jane.getByLabel('Customer rating: 4 of 5 · Satisfied');
    await rating.waitFor();
    expect(await rating.textContent()).toContain('Fast and friendly, thank you!');
    await jane.screenshot({ path: 'docs/screenshots/agent-rating.png' });

    // Karen sees her rating on the portal ticket and may still change it there.
    await karen.goto(`${env.desk.url}/tickets/${number}`);
    await karen.getByRole('heading', { name: 'Your rating' }).waitFor();
    expect(await karen.getByRole('radio', { name: '4 of 5, Satisfied' }).isChecked()).toBe(true);
    await karen.getByRole('button', { name: 'Change my rating' }).waitFor();

    // A second resolution: the resolution mail's "No, it is not" link opens the reason box; the reopen needs the click.
    await karen.getByRole('textbox', { name: 'Your reply' }).fill('One more thing: the VAT number too.');
    await karen.getByRole('button', { name: 'Send' }).click();
    await jane.reload();
    await jane.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect.poll(() => jane.getByLabel('Status', { exact: true }).textContent()).toBe('Resolved');
    await karen.goto(`${env.desk.url}/tickets/${number}?answer=not-solved`);
    await karen
      .getByRole('textbox', { name: 'What is still wrong?' })
      .fill('The VAT number is still the old one.');
    await karen.getByRole('button', { name: 'Reopen the ticket' }).click();
    await expect.poll(() => karen.getByLabel('Status').textContent()).toBe('We’re working on it');
    await karen
      .locator('[data-kind="message"]', { hasText: 'The VAT number is still the old one.' })
      .waitFor();
  });
});
