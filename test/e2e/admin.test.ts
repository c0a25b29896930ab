import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// Admin settings and the profile page in Chromium against `deskline start`:
// a department and an agent made in the UI (who then signs in and works it),
// a help topic default that survives a reload, problems shown at their field,
// the admins-only state for agents, and an agent's availability and signature.

/** A POST from the page, with its session and CSRF token (for setting up data the test then looks for). */
const post = (page: Page, url: string, body: unknown) =>
  page.evaluate(
    async ([u, b]) => {
      const res = await fetch(u as string, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token':
            (
              globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
            ).sessionStorage.getItem('deskline.csrf') ?? '',
        },
        body: JSON.stringify(b),
      });
      return res.status;
    },
    [url, body],
  );

describe('admin settings and profile in Chromium', () => {
  const env = useBrowserAndDesk();
  const as = async (email: string, password: string, width = 1280, height = 800) => {
    const page = await newPage(env.browser, width, height);
    await signIn(page, `${env.desk.url}/agent/`, email, password);
    await page.getByRole('button', { name: /account menu$/ }).waitFor();
    return page;
  };
  const section = async (page: Page, name: string) => {
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
  };

  it('the admin creates a department and an agent, who signs in and works its tickets', async () => {
    const admin = await as('admin@deskline.local', 'deskline-admin');
    await admin.getByRole('button', { name: /account menu$/ }).click();
    await admin.getByRole('menuitem', { name: 'Admin' }).click();
    await section(admin, 'Departments');
    await admin.getByRole('button', { name: 'New department' }).click();
    await admin.getByRole('textbox', { name: 'Name' }).fill('Field Service');
    await admin.getByRole('button', { name: 'Create department' }).click();
    await admin
      .getByRole('table', { name: 'Departments' })
      .getByRole('cell', { name: 'Field Service', exact: true })
      .waitFor();
    expect(admin.url()).toBe(`${env.desk.url}/agent/admin/departments`);

    await section(admin, 'Agents');
    await admin.getByRole('button', { name: 'New agent' }).click();
    await admin.getByRole('textbox', { name: 'Name' }).fill('Frank Fields');
    await admin.getByRole('textbox', { name: 'Email' }).fill('frank@deskline.local');
    await admin.getByLabel(/^Password/).fill('short');
    await admin.getByRole('checkbox', { name: 'Field Service' }).check();
    await admin.getByRole('button', { name: 'Create agent' }).click();
    // The API's 422 sits under the field it is about, and the form keeps what was typed.
    const passwordError = admin.locator('.mantine-InputWrapper-error', { hasText: 'at least 8 characters' });
    await passwordError.waitFor();
    expect(await admin.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Frank Fields');
    await admin.getByLabel(/^Password/).fill('field-service-1');
    await admin.getByRole('button', { name: 'Create agent' }).click();
    const agents = admin.getByRole('table', { name: 'Agents' });
    const frankRow = agents.getByRole('row', { name: /Frank Fields/ });
    await frankRow.waitFor();
    expect(await frankRow.textContent()).toContain('Field Service');
    await admin.getByRole('dialog').waitFor({ state: 'detached' });
    await admin.screenshot({ path: 'docs/screenshots/admin.png' });

    // A Field Service ticket, then Frank in a fresh context sees it in his Open queue.
    const status = await post(admin, '/api/v1/tickets', {
      subject: 'Boiler in building C needs a technician',
      body: 'The boiler stopped this morning.',
      requester: { email: 'facilities@example.com', name: 'Facilities' },
      department: 'Field Service',
    });
    expect(status).toBe(201);
    const frank = await as('frank@deskline.local', 'field-service-1');
    expect(await frank.getByRole('button', { name: /account menu$/ }).textContent()).toBe('Frank Fields');
    await frank.getByRole('link', { name: 'Boiler in building C needs a technician' }).waitFor();
    await frank.close();
    await admin.close();
  });

  it('the admin changes a help topic’s default priority; it persists after a reload', async () => {
    const admin = await as('admin@deskline.local', 'deskline-admin');
    await admin.goto(`${env.desk.url}/agent/admin/help-topics`);
    await admin.getByRole('heading', { name: 'Help topics', level: 1 }).waitFor();
    await admin.getByRole('button', { name: 'Edit Feature Request' }).click();
    const priority = admin.getByLabel(/^Default priority/).first();
    expect(await priority.inputValue()).toBe('Low');
    await priority.click();
    await admin.getByRole('option', { name: 'High' }).click();
    await admin.getByRole('button', { name: 'Save changes' }).click();
    const row = admin
      .getByRole('table', { name: 'Help topics' })
      .getByRole('row', { name: /Feature Request/ });
    await expect.poll(() => row.textContent()).toContain('High');
    await admin.reload();
    await expect.poll(() => row.textContent()).toContain('High');
    await admin.getByRole('button', { name: 'Edit Feature Request' }).click();
    expect(
      await admin
        .getByLabel(/^Default priority/)
        .first()
        .inputValue(),
    ).toBe('High');
    await admin.close();
  });

  it('routing rules: the preview runs the draft, and a bad condition is refused at its row', async () => {
    const admin = await as('admin@deskline.local', 'deskline-admin', 1280, 1000);
    await admin.goto(`${env.desk.url}/agent/admin/routing-rules`);
    await admin.getByRole('button', { name: 'Edit Bank outages to SysAdmin' }).click();
    await admin.getByRole('textbox', { name: 'From' }).fill('ops@bank.example');
    await admin.getByRole('textbox', { name: 'Sample subject' }).fill('Total outage of online banking');
    await admin.getByRole('button', { name: 'Preview' }).click();
    const result = admin.getByLabel('Preview result');
    await expect.poll(() => result.textContent()).toContain('Department: SysAdmin');
    expect(await result.textContent()).toContain('Priority: Emergency');
    await admin.getByRole('textbox', { name: 'Sample subject' }).fill('Printer jam');
    await admin.getByRole('button', { name: 'Preview' }).click();
    // Which condition failed, in the editor's numbering: the sender still matches, the subject does not.
    await expect.poll(() => result.textContent()).toContain('No match: condition 2 does not hold');
    expect(await result.getByRole('list', { name: 'Conditions' }).textContent()).toBe(
      'Condition 1 holdsCondition 2 does not hold',
    );
    await result.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: 'docs/screenshots/admin-routing-preview.png' });

    await admin.getByRole('textbox', { name: 'Condition 2 value' }).fill('');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByText("value: 'contains' needs a non-empty value").waitFor();
    await admin.close();
  });

  it('settings: a value the API refuses is shown at its field; a saved one persists', async () => {
    const admin = await as('admin@deskline.local', 'deskline-admin');
    await admin.goto(`${env.desk.url}/agent/admin/automation`);
    const interval = admin.getByRole('textbox', { name: 'Scheduler interval (seconds)' });
    await interval.fill('2');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.locator('.mantine-InputWrapper-error', { hasText: /5/ }).waitFor();
    await interval.fill('45');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await admin.reload();
    await expect.poll(() => interval.inputValue()).toBe('45');
    await admin.close();
  });

  it('surveys: a department override is picked from lists, saved and shown again', async () => {
    const admin = await as('admin@deskline.local', 'deskline-admin');
    await admin.goto(`${env.desk.url}/agent/admin/surveys`);
    await admin.getByRole('heading', { name: 'Satisfaction surveys', level: 1 }).waitFor();
    await admin.getByText('Every department follows the settings above.').waitFor();
    await admin.getByRole('button', { name: 'Add a department' }).click();
    await admin.getByLabel('Department', { exact: true }).first().click();
    await admin.getByRole('option', { name: 'Billing' }).click();
    await admin.getByLabel('Scale', { exact: true }).first().click();
    await admin.getByRole('option', { name: 'Good / bad' }).click();
    await admin.getByLabel('Changeable (days)').fill('3');
    await admin.screenshot({ path: 'docs/screenshots/admin-surveys.png', fullPage: true });
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    const billing = (
      (await (await admin.request.get(`${env.desk.url}/api/v1/departments`)).json()) as {
        items: { id: number; name: string }[];
      }
    ).items.find((d) => d.name === 'Billing')!;
    const saved = (await (await admin.request.get(`${env.desk.url}/api/v1/settings/surveys`)).json()) as {
      departments: Record<string, unknown>;
    };
    expect(saved.departments).toEqual({ [billing.id]: { scale: 'binary', changeDays: 3 } });
    await admin.reload();
    await expect
      .poll(() => admin.getByLabel('Department', { exact: true }).first().inputValue())
      .toBe('Billing');
    expect(await admin.getByLabel('Scale', { exact: true }).first().inputValue()).toBe('Good / bad');
    expect(await admin.getByLabel('When', { exact: true }).first().inputValue()).toBe('As the desk');
    await admin.close();
  });

  it('API keys: the secret is shown once; a revoked key is marked', async () => {
    const admin = await as('admin@deskline.local', 'deskline-admin');
    await admin.goto(`${env.desk.url}/agent/admin/api-keys`);
    await admin.getByRole('button', { name: 'New API key' }).click();
    await admin.getByRole('textbox', { name: 'Name' }).fill('Website form');
    await admin.getByRole('button', { name: 'Create API key' }).click();
    const key = (await admin.getByLabel('The new key').textContent())!.trim();
    expect(key).toMatch(/^[0-9A-F]{32}$/);
    await admin.keyboard.press('Escape');
    const row = admin.getByRole('table', { name: 'API keys' }).getByRole('row', { name: /Website form/ });
    expect(await row.textContent()).toContain(key.slice(0, 6));
    expect(await row.textContent()).not.toContain(key);
    await admin.getByRole('button', { name: 'Revoke Website form' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.textContent()).toContain('Revoked');
    await admin.close();
  });

  it('Jane, an agent, sees the admins-only message; she sets Away and her signature in her profile', async () => {
    const jane = await as('jane@deskline.local', 'deskline-agent');
    await jane.goto(`${env.desk.url}/agent/admin`);
    await jane.getByText('Admins only').waitFor();
    expect(await jane.getByRole('navigation', { name: 'Admin sections' }).count()).toBe(0);

    await jane.getByRole('button', { name: /account menu$/ }).click();
    await jane.getByRole('menuitem', { name: 'Profile' }).click();
    await jane.getByRole('heading', { name: 'Your profile' }).waitFor();
    await jane.getByText('Away', { exact: true }).click();
    await jane.getByRole('region', { name: 'Availability' }).getByRole('status').waitFor();
    const signature = 'Jane Doe\nCustomer Support, Deskline';
    await jane.getByRole('textbox', { name: 'Signature' }).fill(signature);
    await jane.getByRole('button', { name: 'Save details' }).click();
    await jane.getByRole('region', { name: 'Your details' }).getByRole('status').waitFor();

    await jane.reload();
    await jane.getByRole('heading', { name: 'Your profile' }).waitFor();
    expect(await jane.getByRole('radio', { name: 'Away' }).isChecked()).toBe(true);
    expect(await jane.getByRole('textbox', { name: 'Signature' }).inputValue()).toBe(signature);
    await jane.close();
  });
});
