import { describe, expect, it } from 'vitest';
import { staffApi, waitForMail } from './support/admin-api.ts';
import { openPortalTicket, signInKaren } from './support/portal.ts';
import { newPage, useBrowserAndDesk } from './support/session.ts';

// The customer portal's accounts and files in Chromium against `deskline start`:
// a visitor follows the sign-in link mailed for their ticket, a newcomer signs
// up and confirms through the mailed link, Karen replies with a picture, the ticket page on a phone, and the
// "My organization" tab once Karen's organization shares its tickets.

// A 2×2 PNG (red, green, blue, white).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGN4ZmNjsyWKwSbqzv///wEpMAcYc9ICzQAAAABJRU5ErkJggg==',
  'base64',
);

describe('customer portal accounts in Chromium', () => {
  const env = useBrowserAndDesk();

  it(
    'a visitor opens a ticket, then the emailed link signs them in on that ticket',
    { timeout: 60_000 },
    async () => {
      const page = await newPage(env.browser);
      await page.goto(`${env.desk.url}/`);
      const number = await openPortalTicket(page, {
        topic: 'General Inquiry',
        subject: 'Can I change my delivery date?',
        message: 'The parcel is due Friday; I am away.',
        visitor: { name: 'Robin Linkfollower', email: 'robin@example.org' },
      });
      expect(await page.getByRole('status').textContent()).toContain('sign-in link to robin@example.org');

      // The link, read from the mail log as an admin would.
      const admin = await staffApi(env.browser, env.desk.url);
      const mails = await waitForMail(admin, { to: 'robin@example.org' }, (m) =>
        m.some((x) => x.body.includes('/access/')),
      );
      expect(mails.some((m) => m.subject.includes(number))).toBe(true);
      const link = /https?:\/\/\S+\/access\/[\w-]+/.exec(
        mails.find((m) => m.body.includes('/access/'))!.body,
      )![0];
      await page.goto(`${env.desk.url}${new URL(link).pathname}`);
      await page.getByRole('heading', { name: 'Can I change my delivery date?' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/tickets/${number}`);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(await page.title()).toBe(`#${number} Can I change my delivery date? · Support`);

      // A link works once.
      const again = await newPage(env.browser);
      await again.goto(`${env.desk.url}${new URL(link).pathname}`);
      await again.getByRole('heading', { name: 'This sign-in link cannot be used' }).waitFor();
      await again.getByText('This link has expired or was already used').waitFor();
    },
  );

  it('the portal and the agent panel carry the favicon and say what page they are', async () => {
    const page = await newPage(env.browser);
    const icon = await page.request.get(`${env.desk.url}/favicon.svg`);
    expect([icon.status(), icon.headers()['content-type']]).toEqual([200, 'image/svg+xml']);
    for (const [path, title] of [
      ['/', 'Sign in · Support'],
      ['/agent/', 'Agent panel · Deskline'],
    ]) {
      await page.goto(`${env.desk.url}${path}`);
      expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');
      await expect.poll(() => page.title()).toBe(title);
    }
  });

  it('a newcomer creates an account through the mailed link and sees the empty state', async () => {
    const page = await newPage(env.browser);
    await page.goto(`${env.desk.url}/`);
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByRole('textbox', { name: 'Your name' }).fill('Nia Newcomer');
    await page.getByRole('textbox', { name: 'Email' }).fill('nia@example.org');
    await page.getByLabel(/^Password/).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('use at least 10 characters').waitFor();
    await page.getByLabel(/^Password/).fill('nia-newcomer-pass');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('status').getByText('Check your email').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('We sent a link to nia@example.org');

    // The link from the mail (read from the mail log as an admin would) asks for the password again.
    const admin = await staffApi(env.browser, env.desk.url);
    const mails = await waitForMail(admin, { to: 'nia@example.org' }, (m) =>
      m.some((x) => x.body.includes('/confirm/')),
    );
    const link = /https?:\/\/\S+(\/confirm\/[\w-]+)/.exec(
      mails.find((m) => m.body.includes('/confirm/'))!.body,
    )![1]!;
    await page.goto(`${env.desk.url}${link}`);
    await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
    await page.getByLabel(/^Password/).fill('not-my-password');
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByText('Enter the password you chose when signing up').waitFor();
    await page.getByLabel(/^Password/).fill('nia-newcomer-pass');
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('heading', { name: 'Your account is ready' }).waitFor();
    await page.getByRole('button', { name: 'Go to my tickets' }).click();
    await page.getByText('You have no tickets yet').waitFor();
    await page.getByRole('button', { name: 'Open your first ticket' }).waitFor();

    // She moves to a new address: it counts once its link is opened (signed in here).
    await page.getByRole('button', { name: 'My account' }).click();
    await page.getByRole('textbox', { name: 'New email address' }).fill('nia.new@example.org');
    await page.getByRole('button', { name: 'Send a confirmation link' }).click();
    await page.getByRole('status').getByText('Check your email').waitFor();
    const moved = await waitForMail(admin, { to: 'nia.new@example.org' }, (m) =>
      m.some((x) => x.body.includes('/confirm-email/')),
    );
    const emailLink = /\/confirm-email\/[\w-]+/.exec(
      moved.find((m) => m.body.includes('/confirm-email/'))!.body,
    )![0];
    await page.goto(`${env.desk.url}${emailLink}`);
    await page.getByRole('heading', { name: 'Your new address is confirmed' }).waitFor();
    expect(await page.getByText('Your account now uses nia.new@example.org').count()).toBe(1);

    // The link works once.
    const again = await newPage(env.browser);
    await again.goto(`${env.desk.url}${link}`);
    await again.getByLabel(/^Password/).fill('nia-newcomer-pass');
    await again.getByRole('button', { name: 'Finish' }).click();
    await again.getByRole('heading', { name: 'This confirmation link cannot be used' }).waitFor();

    // An address that has an account gets the same answer; its owner is told by mail.
    const known = await newPage(env.browser);
    await known.goto(`${env.desk.url}/`);
    await known.getByRole('tab', { name: 'Create account' }).click();
    await known.getByRole('textbox', { name: 'Your name' }).fill('Not Karen');
    await known.getByRole('textbox', { name: 'Email' }).fill('karen@example.com');
    await known.getByLabel(/^Password/).fill('some-long-password');
    await known.getByRole('button', { name: 'Create account' }).click();
    await known.getByRole('status').getByText('Check your email').waitFor();
    await waitForMail(admin, { to: 'karen@example.com' }, (m) =>
      m.some((x) => x.subject === 'You already have an account'),
    );
  });

  it('Karen replies with a picture and sees it on the thread; the page fits a phone', async () => {
    const karen = await newPage(env.browser, 1280, 800);
    await signInKaren(karen, `${env.desk.url}/`);
    const mine = karen.getByRole('table', { name: 'My tickets' });
    await mine.waitFor();
    // Her most recent ticket that is not closed (a closed one takes no reply).
    await mine.getByRole('row').filter({ hasNotText: 'Closed' }).getByRole('link').first().click();
    await karen.getByRole('textbox', { name: 'Your reply' }).waitFor();
    const number = /\/tickets\/(\d+)/.exec(karen.url())![1]!;

    const chooser = karen.waitForEvent('filechooser');
    await karen.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles({ name: 'error-screen.png', mimeType: 'image/png', buffer: PNG });
    await karen.getByRole('button', { name: 'Remove error-screen.png' }).waitFor();
    await karen.getByRole('textbox', { name: 'Your reply' }).fill('Here is what the screen shows.');
    await karen.getByRole('button', { name: 'Send' }).click();
    const entry = karen.locator('[data-kind="message"]', { hasText: 'Here is what the screen shows.' });
    await entry
      .getByRole('link', { name: /error-screen\.png/ })
      .first()
      .waitFor();
    const preview = entry.getByRole('img', { name: 'error-screen.png' });
    await expect
      .poll(() => preview.evaluate((img) => (img as { naturalWidth: number }).naturalWidth))
      .toBe(2);
    expect(await karen.getByRole('button', { name: 'Remove error-screen.png' }).count()).toBe(0);

    // A message written in HTML (as mail often is) reads as text, its markup never shown.
    const { csrfToken } = (await (await karen.request.get(`${env.desk.url}/api/v1/session`)).json()) as {
      csrfToken: string;
    };
    const html = await karen.request.post(`${env.desk.url}/api/v1/tickets/${number}/replies`, {
      data: { body: '<p>Still <b>broken</b> here.</p><p>Second line</p>', format: 'html' },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(html.status()).toBe(201);
    await karen.reload();
    const htmlEntry = karen.locator('[data-kind="message"]', { hasText: 'Still broken here.' });
    expect(await htmlEntry.innerText()).toMatch(/Still broken here\.\n+Second line/);
    expect(await karen.getByText('<b>').count()).toBe(0);

    // The same ticket on a phone: no sideways scrolling, the reply box and Send within reach.
    const phone = await newPage(env.browser, 390, 844);
    await signInKaren(phone, `${env.desk.url}/tickets/${number}`);
    await phone.getByRole('textbox', { name: 'Your reply' }).waitFor();
    await phone.getByRole('img', { name: 'error-screen.png' }).waitFor();
    expect(await phone.evaluate<number>('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(390);
    const send = await phone.getByRole('button', { name: 'Send' }).boundingBox();
    expect(send!.x + send!.width).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: 'docs/screenshots/portal-mobile.png', fullPage: true });
    await phone.goto(`${env.desk.url}/`);
    await phone.getByRole('table', { name: 'My tickets' }).waitFor();
    expect(await phone.evaluate<number>('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(390);
  });

  it('Karen sees "My organization" once her organization shares its tickets', async () => {
    const admin = await staffApi(env.browser, env.desk.url);
    const karen = await newPage(env.browser);
    await signInKaren(karen, `${env.desk.url}/`);
    await karen.getByRole('table', { name: 'My tickets' }).waitFor();
    expect(await karen.getByRole('tab', { name: 'My organization' }).count()).toBe(0);

    const orgs = await admin.get<{ items: { id: number; name: string }[] }>('/api/v1/organizations');
    const org = orgs.items.find((o) => o.name === 'Example Corp')!;
    await admin.patch(`/api/v1/organizations/${org.id}`, { sharesTickets: true });
    await karen.reload();
    await karen.getByRole('tab', { name: 'My organization' }).click();
    const shared = karen.getByRole('table', { name: 'Organization tickets' });
    await shared.waitFor();
    // Sara Jones (sara.jones@example.com) is in Example Corp with demo tickets of her own.
    expect(await shared.getByText(/Sara Jones/).count()).toBe(6); // the rows of her demo tickets
    await karen.getByRole('tab', { name: 'My tickets' }).click();
    expect(
      await karen
        .getByRole('table', { name: 'My tickets' })
        .getByText(/Sara Jones/)
        .count(),
    ).toBe(0);
  });
});
