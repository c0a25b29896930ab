import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';

const file = (filename: string, text: string) => ({ filename, data: Buffer.from(text).toString('base64') });

describeEachDialect('attachments', (handle) => {
  let api: Harness;
  let jane: Client;
  let karen: Client;
  let number: string;

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    const created = await karen.post('/api/v1/tickets', {
      subject: 'Screenshot of the error',
      body: 'See attached',
      requester: { email: 'karen@example.com' },
      attachments: [file('error.txt', 'stack trace here')],
    });
    expect(created.status).toBe(201);
    number = created.json.number;
  });
  afterAll(() => api.close());

  const attachmentsOf = async (c: Client) =>
    (
      (await c.get(`/api/v1/tickets/${number}`)).json.thread as {
        kind: string;
        attachments: { id: number; filename: string; url: string }[];
      }[]
    ).flatMap((e) => e.attachments.map((a) => ({ ...a, kind: e.kind })));

  it('stores files on messages, replies and notes; downloads them as attachments', async () => {
    await jane.post(`/api/v1/tickets/${number}/replies`, {
      body: 'Try this patch',
      attachments: [file('fix.patch', 'diff --git')],
    });
    await jane.post(`/api/v1/tickets/${number}/notes`, {
      body: 'internal log',
      attachments: [file('internal.log', 'secret log')],
    });
    const seen = await attachmentsOf(jane);
    expect(seen.map((a) => [a.kind, a.filename])).toEqual([
      ['message', 'error.txt'],
      ['reply', 'fix.patch'],
      ['note', 'internal.log'],
    ]);
    const dl = await jane.get(seen[0]!.url);
    expect(dl.status).toBe(200);
    expect(dl.body).toBe('stack trace here');
    expect(dl.headers['content-disposition']).toBe("attachment; filename*=UTF-8''error.txt");
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
  });

  it("customers get their ticket's public files only; others get 404", async () => {
    const all = await attachmentsOf(jane);
    const note = all.find((a) => a.kind === 'note')!;
    const mine = await attachmentsOf(karen);
    expect(mine.map((a) => a.filename)).toEqual(['error.txt', 'fix.patch']);
    expect((await karen.get(mine[1]!.url)).body).toBe('diff --git');
    const hidden = await karen.get(note.url);
    expect([hidden.status, hidden.json.error.code]).toEqual([404, 'attachment_not_found']);
    await api.anonymous.post('/api/v1/portal/signup', {
      email: 'other@example.com',
      name: 'Other',
      password: 'other-password-1',
    });
    const other = await api.login('other@example.com', 'other-password-1', 'customer');
    expect((await other.get(mine[0]!.url)).status).toBe(404);
    expect((await jane.get('/api/v1/attachments/999999')).status).toBe(404);
  });

  it('refuses executables, bad base64 and unusable names, writing nothing', async () => {
    const before = await api.desk.db.selectFrom('thread_entries').select('id').execute();
    for (const [att, code] of [
      [file('setup.exe', 'MZ'), 'attachment_type_refused'],
      [{ filename: 'a.txt', data: '%%%not base64%%%' }, 'attachment_invalid'],
      [file('///', 'x'), 'attachment_name_invalid'],
    ] as const) {
      const res = await jane.post(`/api/v1/tickets/${number}/replies`, {
        body: 'with file',
        attachments: [att],
      });
      expect([res.status, res.json.error.code]).toEqual([422, code]);
    }
    expect(await api.desk.db.selectFrom('thread_entries').select('id').execute()).toHaveLength(before.length);
    const traversal = await jane.post(`/api/v1/tickets/${number}/replies`, {
      body: 'path',
      attachments: [file('../../etc/passwd', 'root:x')],
    });
    expect(traversal.json.entry.attachments[0].filename).toBe('passwd');
  });
});
