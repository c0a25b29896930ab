import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/lib/clock.ts';
import { putSetting } from '../../src/modules/settings/settings.service.ts';
import { listEntries } from '../../src/modules/threads/threads.repository.ts';
import { postNote, postReply } from '../../src/modules/threads/threads.service.ts';
import type { CreateTicketInput } from '../../src/contract/tickets.contract.ts';
import {
  assign,
  confirm,
  reopen,
  resolve,
  setPriority,
  transfer,
} from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import {
  T0,
  countRows,
  expectAppError,
  loadCustomer,
  loadDesk,
  newTicket,
  reload,
  seedDesk,
  type Desk,
} from '../support/factories.ts';

/** Input the schema does not allow, typed as if it did (what an untyped client might send). */
const loose = (input: Record<string, unknown>) => input as unknown as Partial<CreateTicketInput>;

describeEachDialect('ticket errors', (handle) => {
  let desk: Desk;
  beforeAll(async () => {
    await seedDesk(handle().db);
  });
  beforeEach(async () => {
    desk = await loadDesk(handle().db);
  });

  describe('a failed intake writes nothing, not even the new requester', () => {
    const newRequester = { requester: { email: 'first.timer@newco.test', name: 'First Timer' } };
    const cases: [string, Partial<CreateTicketInput>, string, number][] = [
      ['unknown department', { department: 'Marketing' }, 'department_not_found', 404],
      ['unknown department id', { department: 987654 }, 'department_not_found', 404],
      ['unknown help topic', { helpTopic: 'Astrology' }, 'help_topic_not_found', 404],
      ['unknown priority', { priority: 'Whenever' }, 'priority_not_found', 404],
      ['unknown team', { team: 'Night Shift' }, 'team_not_found', 404],
      ['unknown agent', { assignee: 'nobody@deskline.local' }, 'agent_not_found', 404],
      ['assignee without access', { assignee: 'jerry@deskline.local' }, 'assignee_no_access', 422],
      ['unknown linked ticket', { linkedTicketId: 987654 }, 'linked_ticket_not_found', 404],
      ['empty subject', { subject: '   ' }, 'validation_failed', 422],
      ['oversized subject', { subject: 'x'.repeat(256) }, 'validation_failed', 422],
      ['empty body', { body: '' }, 'validation_failed', 422],
      ['invalid requester email', { requester: { email: 'not-an-email' } }, 'validation_failed', 422],
      [
        'invalid collaborator email',
        { collaborators: [{ email: 'ok@newco.test' }, { email: 'bad@' }] },
        'validation_failed',
        422,
      ],
      ['unknown field', loose({ cc: 'boss@newco.test' }), 'validation_failed', 422],
      [
        'unknown requester field',
        loose({ requester: { email: 'a@newco.test', role: 'admin' } }),
        'validation_failed',
        422,
      ],
      ['unknown source', loose({ source: 'fax' }), 'validation_failed', 422],
    ];

    it.each(cases)('%s', async (_name, overrides, code, status) => {
      const before = await countRows(desk.db);
      await expectAppError(newTicket(desk.deps, { ...newRequester, ...overrides }, desk.jane), code, status);
      expect(await countRows(desk.db)).toEqual(before);
      const stray = await desk.db
        .selectFrom('customers')
        .select('id')
        .where('email', 'in', ['first.timer@newco.test', 'ok@newco.test'])
        .execute();
      expect(stray).toEqual([]);
    });

    it('a validation failure names the field', async () => {
      const error = await expectAppError(newTicket(desk.deps, { subject: '' }), 'validation_failed', 422);
      expect(error.message).toMatch(/^subject: /);
      expect(error.details).toEqual([{ path: 'subject', message: 'subject is required' }]);
    });

    it("a subject over the admin's intake limit is subject_too_long", async () => {
      await putSetting(desk.db, 'intake', { maxSubjectLength: 20, maxBodyLength: 100 }, T0);
      try {
        const before = await countRows(desk.db);
        await expectAppError(
          newTicket(desk.deps, { ...newRequester, subject: 'x'.repeat(21) }),
          'subject_too_long',
          422,
        );
        await expectAppError(
          newTicket(desk.deps, { ...newRequester, body: 'y'.repeat(101) }),
          'body_too_long',
          422,
        );
        expect(await countRows(desk.db)).toEqual(before);
      } finally {
        await desk.db.deleteFrom('settings').where('key', '=', 'intake').execute();
      }
    });

    it('a banned requester cannot open tickets', async () => {
      await desk.db
        .insertInto('customers')
        .values({
          email: 'spammer@junk.test',
          name: 'Spam',
          phone: null,
          organization_id: null,
          password_hash: null,
          is_banned: 1,
          created_at: T0,
          updated_at: T0,
        })
        .execute();
      const before = await countRows(desk.db);
      await expectAppError(
        newTicket(desk.deps, { requester: { email: 'Spammer@junk.test' } }),
        'requester_banned',
        403,
      );
      expect(await countRows(desk.db)).toEqual(before);
    });
  });

  describe('failed actions write nothing', () => {
    it('resolving twice is an invalid transition', async () => {
      const ticket = await newTicket(desk.deps);
      await resolve(desk.deps, desk.jane, ticket.number);
      const resolved = await reload(desk.db, ticket.id);
      const before = await countRows(desk.db);
      await expectAppError(resolve(desk.deps, desk.jane, ticket.number), 'invalid_transition', 409);
      expect(await countRows(desk.db)).toEqual(before);
      expect(await reload(desk.db, ticket.id)).toEqual(resolved);
    });

    it('unknown references and fields on actions', async () => {
      const ticket = await newTicket(desk.deps);
      const n = ticket.number;
      const before = await countRows(desk.db);
      await expectAppError(
        setPriority(desk.deps, desk.jane, n, { priority: 'Whenever' }),
        'priority_not_found',
        404,
      );
      await expectAppError(
        transfer(desk.deps, desk.jane, n, { department: 'Marketing' }),
        'department_not_found',
        404,
      );
      await expectAppError(assign(desk.deps, desk.jane, n, { team: 'Night Shift' }), 'team_not_found', 404);
      await expectAppError(
        assign(desk.deps, desk.jane, n, { assignee: 'nobody@deskline.local' }),
        'agent_not_found',
        404,
      );
      await expectAppError(assign(desk.deps, desk.jane, n, {}), 'validation_failed', 422);
      await expectAppError(
        transfer(desk.deps, desk.jane, n, { department: 'Billing', urgent: true }),
        'validation_failed',
        422,
      );
      await expectAppError(
        setPriority(desk.deps, desk.jane, '999999', { priority: 'High' }),
        'ticket_not_found',
        404,
      );
      expect(await countRows(desk.db)).toEqual(before);
      expect(await reload(desk.db, ticket.id)).toEqual(ticket);
    });
  });

  describe('authorization', () => {
    it('an agent without access to the department gets ticket_not_found (404), never 403', async () => {
      const ticket = await newTicket(desk.deps);
      const before = await countRows(desk.db);
      await expectAppError(
        setPriority(desk.deps, desk.jerry, ticket.number, { priority: 'High' }),
        'ticket_not_found',
        404,
      );
      await expectAppError(
        postNote(desk.deps, desk.jerry, ticket.number, { body: 'peek' }),
        'ticket_not_found',
        404,
      );
      await expectAppError(
        assign(desk.deps, desk.jerry, ticket.number, { assignee: desk.jerry.id }),
        'ticket_not_found',
        404,
      );
      await expectAppError(resolve(desk.deps, desk.jerry, ticket.number), 'ticket_not_found', 404);
      expect(await countRows(desk.db)).toEqual(before);
    });

    it('once the ticket is handed to his team, the agent sees it, notes and replies, but cannot transfer or resolve it', async () => {
      const ticket = await newTicket(desk.deps);
      await assign(desk.deps, desk.jane, ticket.number, { team: 'SysAdmin' });
      const { entry } = await postNote(desk.deps, desk.jerry, ticket.number, {
        body: 'Checked the firewall.',
      });
      expect(entry).toMatchObject({ kind: 'note', author_agent_id: desk.jerry.id });
      desk.clock.advance(MINUTE);
      const { ticket: replied } = await postReply(desk.deps, desk.jerry, ticket.number, {
        body: 'Firewall fixed.',
      });
      expect(replied.first_response_at).toBe(T0 + MINUTE);
      await expectAppError(
        transfer(desk.deps, desk.jerry, ticket.number, { department: 'SysAdmin' }),
        'forbidden',
        403,
      );
      await expectAppError(resolve(desk.deps, desk.jerry, ticket.number), 'forbidden', 403);
      const notes = await listEntries(desk.db, ticket.id, { includeNotes: true });
      expect(notes.map((e) => e.kind)).toEqual(['message', 'note', 'reply']);
    });

    it('the assignee may resolve; an admin may do anything', async () => {
      const ticket = await newTicket(desk.deps, { department: 'Billing' });
      await assign(desk.deps, desk.admin, ticket.number, { team: 'SysAdmin', assignee: desk.jerry.id });
      expect((await resolve(desk.deps, desk.jerry, ticket.number)).ticket.state).toBe('resolved');
      expect((await reopen(desk.deps, desk.admin, ticket.number)).ticket.state).toBe('open');
    });

    it("a customer gets ticket_not_found on another customer's ticket, and sees their own", async () => {
      const theirs = await newTicket(desk.deps, { requester: { email: 'colleague@example.com' } });
      const mine = await newTicket(desk.deps);
      await resolve(desk.deps, desk.jane, theirs.number);
      await resolve(desk.deps, desk.jane, mine.number);
      const before = await countRows(desk.db);
      // Same organization, but Example Corp does not share tickets.
      await expectAppError(confirm(desk.deps, desk.karen, theirs.number), 'ticket_not_found', 404);
      await expectAppError(reopen(desk.deps, desk.karen, theirs.number), 'ticket_not_found', 404);
      expect(await countRows(desk.db)).toEqual(before);
      expect((await confirm(desk.deps, desk.karen, mine.number)).ticket.state).toBe('closed');
      const colleague = await loadCustomer(desk.db, 'colleague@example.com');
      await expectAppError(reopen(desk.deps, colleague, mine.number), 'ticket_not_found', 404);
    });

    it('a collaborator may see the ticket; customers never perform agent actions', async () => {
      const ticket = await newTicket(desk.deps, { collaborators: [{ email: 'helper@partner.test' }] });
      const helper = await loadCustomer(desk.db, 'helper@partner.test');
      await resolve(desk.deps, desk.jane, ticket.number);
      expect((await reopen(desk.deps, helper, ticket.number)).ticket.state).toBe('open');
      await expectAppError(
        setPriority(desk.deps, desk.karen, ticket.number, { priority: 'High' }),
        'forbidden',
        403,
      );
      await expectAppError(
        postReply(desk.deps, desk.karen, ticket.number, { body: 'as agent' }),
        'forbidden',
        403,
      );
    });
  });
});
