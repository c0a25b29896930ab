import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/contract/errors.ts';
import { DOCS_POLICY } from '../../src/http/security-headers.ts';
import { staffApi } from './support/admin-api.ts';
import { newPage, useBrowserAndDesk } from './support/session.ts';

// Issue 18: /api/docs is a maintained viewer (Swagger UI from npm, no CDN)
// showing the OpenAPI document with its schemas, examples and error codes,
// with try-it by API key or by session, under the page's strict policy
// (every browser test fails on a CSP violation).

interface Doc {
  paths: Record<string, Record<string, { operationId: string }>>;
  components: { schemas: Record<string, { enum?: string[] }> };
}

/** A fresh load of the page opened at one operation (Swagger UI reads its deep link on load). */
async function openOperation(page: Page, url: string, tag: string, operationId: string): Promise<Locator> {
  await page.goto('about:blank');
  await page.goto(`${url}/api/docs#/${tag}/${operationId}`);
  const op = page.locator(`#operations-${tag}-${operationId}`);
  await op.locator('.opblock-body').waitFor();
  return op;
}

/** Try it out → Execute with what the block holds (its example); the status the desk answered. */
async function tryIt(op: Locator): Promise<string> {
  await op.getByRole('button', { name: 'Try it out' }).click();
  await op.getByRole('button', { name: 'Execute' }).click();
  const status = op.locator('.live-responses-table .response .response-col_status');
  await status.waitFor();
  return (await status.textContent())!.trim();
}

describe('API reference in Chromium', () => {
  const env = useBrowserAndDesk();

  it('lists every operation of the document, with schemas, examples and the error codes', async () => {
    const page = await newPage(env.browser, 1280, 900);
    const res = (await page.goto(`${env.desk.url}/api/docs`))!;
    expect(res.headers()['content-security-policy']).toBe(DOCS_POLICY);
    await page.locator('.opblock').first().waitFor();
    const doc = (await (await page.request.get(`${env.desk.url}/api/openapi.json`)).json()) as Doc;

    // The list is virtual (rendered as it scrolls): scroll through it and note every operation shown.
    const listed = new Set<string>();
    for (let y = 0; ; y += 500) {
      await page.evaluate(`window.scrollTo(0, ${y})`);
      await page.waitForTimeout(50);
      const ids = (await page.evaluate(
        "[...document.querySelectorAll('.opblock')].map((e) => e.id)",
      )) as string[];
      for (const id of ids) listed.add(id.slice(id.lastIndexOf('-') + 1));
      if (await page.evaluate('window.scrollY + window.innerHeight >= document.body.scrollHeight - 1')) break;
    }
    const documented = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((o) => o.operationId),
    );
    expect([...listed].sort()).toEqual(documented.sort());

    // The main calls come with their request and answer schemas and a worked example.
    const create = await openOperation(page, env.desk.url, 'Tickets', 'postApiV1Tickets');
    expect(await create.locator('.body-param__example').textContent()).toContain('"VPN drops every hour"');
    const created = create.locator('.responses-table tr.response[data-code="201"]');
    expect(await created.locator('.example').textContent()).toContain('"number": "100001"');
    await created.getByRole('tab', { name: 'Schema' }).click();
    await created.locator('.model-box').first().waitFor();
    expect(await created.locator('.model-box').first().textContent()).toContain('reopenCount');

    // The error codes: the document's catalog (the ErrorCode schema), shown in its introduction.
    const codes = doc.components.schemas.ErrorCode?.enum;
    expect([...(codes ?? [])].sort()).toEqual(ERROR_CODES);
    await page.goto(`${env.desk.url}/api/docs`);
    const intro = page.locator('.information-container');
    await intro.waitFor();
    const shown = (await intro.locator('code').allTextContents()).map((t) => t.trim());
    expect(ERROR_CODES.filter((c) => !shown.includes(c))).toEqual([]);
    await page.close();
  });

  it('try-it with an API key', async () => {
    const admin = await staffApi(env.browser, env.desk.url);
    const { key } = await admin.post<{ key: string }>('/api/v1/api-keys', { name: 'docs try-it' });
    const page = await newPage(env.browser, 1280, 900);
    await page.goto(`${env.desk.url}/api/docs`);
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const apiKey = page.locator('.auth-container', { hasText: 'X-API-Key' });
    await apiKey.locator('input').fill(key);
    await apiKey.getByRole('button', { name: 'Apply credentials' }).click();
    await apiKey.getByRole('button', { name: 'Close' }).click();
    // Found through the filter: a reload (a deep link) would forget the key.
    await page.getByPlaceholder('Filter by tag or path').fill('Tickets');
    const list = page.locator('#operations-Tickets-getApiV1Tickets');
    await list.locator('.opblock-summary-control').click();
    // This browser has no session: only the key can make it 200.
    expect(await tryIt(list)).toBe('200');
    expect(await list.locator('.curl-command').textContent()).toContain(`X-API-Key: ${key}`);
    await page.close();
  });

  it('try-it with the session: sign in through try-it, then a write carries the CSRF token', async () => {
    const page = await newPage(env.browser, 1280, 900);
    // The sign-in example is the demo agent's.
    expect(await tryIt(await openOperation(page, env.desk.url, 'Authentication', 'postApiV1Session'))).toBe(
      '200',
    );
    const create = await openOperation(page, env.desk.url, 'Tickets', 'postApiV1Tickets');
    expect(await tryIt(create)).toBe('201');
    await page.close();
  });
});
