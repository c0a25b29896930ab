import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newPage, signIn, useBrowserAndDesk } from './support/session.ts';

// A manager's morning: the dashboard's cards agree with the API, then the
// volume report for one department, its chart and its CSV download.

describe('dashboard and reports in Chromium', () => {
  const env = useBrowserAndDesk();

  it('the admin reads the dashboard, filters a report by department and downloads it as CSV', async () => {
    const page = await newPage(env.browser, 1280, 800);
    await signIn(page, `${env.desk.url}/agent/`, 'admin@deskline.local', 'deskline-admin');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(page.url()).toBe(`${env.desk.url}/agent/dashboard`);

    const api = (await (await page.request.get(`${env.desk.url}/api/v1/dashboard`)).json()) as Record<
      string,
      number
    >;
    // A card is a button named by its label and value, as shown.
    const card = (label: string) => page.getByRole('button', { name: new RegExp(`^${label}\\s*\\S+$`, 'i') });
    const value = (label: string) => card(label).getByTestId('stat-value').textContent();
    await expect.poll(() => value('My open tickets')).toBe(String(api.myOpen));
    expect(await value('Overdue')).toBe(String(api.overdue));
    expect(await value('Unassigned')).toBe(String(api.unassignedInMyDepartments));
    expect(await value('Created today')).toBe(String(api.createdToday));
    await page.getByRole('img', { name: /^Created and resolved tickets per day/ }).waitFor();
    await page.screenshot({ path: 'docs/screenshots/dashboard.png' });

    // A card opens its queue.
    await card('Overdue').click();
    expect(page.url()).toBe(`${env.desk.url}/agent/queues/overdue`);

    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    const chart = page.getByRole('img', { name: /^Created and resolved tickets per period/ });
    await chart.waitFor();
    await page
      .getByLabel(/^Department/)
      .first()
      .click();
    await page.getByRole('option', { name: 'Support' }).click();
    const download = page.getByRole('link', { name: 'Download CSV' });
    await expect.poll(() => download.getAttribute('href')).toMatch(/department=\d+/);
    // The chart shows what the API reports for that department.
    const href = (await download.getAttribute('href'))!.replace('&format=csv', '');
    const report = (await (await page.request.get(`${env.desk.url}${href}`)).json()) as {
      totals: { created: number; resolved: number };
    };
    await expect
      .poll(() => chart.getAttribute('aria-label'))
      .toContain(`Created ${report.totals.created} in total, Resolved ${report.totals.resolved} in total`);
    await page.screenshot({ path: 'docs/screenshots/reports.png' });

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^volume-.*\.csv$/);
    const lines = fs
      .readFileSync((await file.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('period,created,resolved,closed,reopened,backlog');
    expect(lines.length).toBeGreaterThan(1);

    // Every other report loads under the same filters: its chart, or the empty state.
    for (const [tab, path] of [
      ['Speed', 'speed'],
      ['SLA', 'sla'],
      ['Agents', 'agents'],
      ['Satisfaction', 'csat'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      expect(page.url()).toBe(`${env.desk.url}/agent/reports/${path}`);
      await page.getByRole('img').or(page.getByText('No tickets in this range')).first().waitFor();
      await expect
        .poll(() => download.getAttribute('href'))
        .toMatch(new RegExp(`^/api/v1/reports/${path}\\?.*department=`));
    }
    await page.close();
  });

  it('an agent is offered and shown only their own departments', async () => {
    const page = await newPage(env.browser, 1280, 800);
    await signIn(page, `${env.desk.url}/agent/`, 'jane@deskline.local', 'deskline-agent');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    expect(page.url()).toBe(`${env.desk.url}/agent/reports/volume`);
    const get = async <T>(path: string) =>
      (await (await page.request.get(`${env.desk.url}${path}`)).json()) as T;
    const me = await get<{ departments: { id: number }[] }>('/api/v1/me');
    const all = (await get<{ items: { id: number; name: string }[] }>('/api/v1/departments')).items;
    const mine = all.filter((d) => me.departments.some((m) => m.id === d.id)).map((d) => d.name);
    expect([mine, all.map((d) => d.name)]).toEqual([['Support'], ['Support', 'Billing', 'SysAdmin']]);

    await page.getByPlaceholder('My departments').click();
    await page.getByRole('option').first().waitFor();
    expect((await page.getByRole('option').allTextContents()).sort()).toEqual([...mine].sort());
    await page.screenshot({ path: 'docs/screenshots/reports-agent.png' });
    await page.keyboard.press('Escape');

    // Without a filter the chart shows what the API counts for her departments.
    const download = page.getByRole('link', { name: 'Download CSV' });
    const href = (await download.getAttribute('href'))!.replace('&format=csv', '');
    const scoped = await get<{ totals: { created: number; resolved: number } }>(href);
    await expect
      .poll(() =>
        page
          .getByRole('img', { name: /^Created and resolved tickets per period/ })
          .getAttribute('aria-label'),
      )
      .toContain(`Created ${scoped.totals.created} in total, Resolved ${scoped.totals.resolved} in total`);
    const other = all.find((d) => !mine.includes(d.name))!;
    expect((await page.request.get(`${env.desk.url}${href}&department=${other.id}`)).status()).toBe(403);
    await page.close();
  });
});
