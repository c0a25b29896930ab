import type { Db } from '../db/database.ts';
import { DAY, HOUR, ManualClock, MINUTE, SECOND } from '../lib/clock.ts';
import { runSchedulerPass } from '../jobs/scheduler.ts';
import type { Deps } from '../lib/deps.ts';
import type { Log } from '../lib/log.ts';
import { SYSTEM, type Actor } from '../modules/auth/auth.actor.ts';
import { loadAgentActor, loadCustomerActor } from '../modules/auth/actors.service.ts';
import { findAgent } from '../modules/directory/directory.repository.ts';
import { isMailJob } from '../modules/outbox/outbox.registry.ts';
import { withoutJobs } from '../modules/outbox/outbox.service.ts';
import { findSettingValue, upsertSetting } from '../modules/settings/settings.repository.ts';
import { postCustomerMessage, postNote, postReply } from '../modules/threads/threads.service.ts';
import { createTicket } from '../modules/tickets/tickets.intake.service.ts';
import * as tickets from '../modules/tickets/tickets.service.ts';
import { seedDemoAutomation } from './demo-automation.ts';
import { seedDemoReference } from './demo-reference.ts';

const MARKER = 'demo_seeded';

const REQUESTS: [subject: string, body: string, topic: string][] = [
  [
    'Cannot log in to the customer portal',
    'Since this morning the portal says my password is wrong, but I reset it twice.',
    'Report a Problem',
  ],
  [
    'Invoice #4471 charged twice',
    'Our card was charged two times for the March invoice. Please refund one of them.',
    'Billing Question',
  ],
  [
    'VPN drops every 10 minutes',
    'The VPN client disconnects about every ten minutes for everyone in the Leeds office.',
    'Report a Problem',
  ],
  [
    'How do I export my data?',
    'Is there a way to export all our tickets and contacts to CSV?',
    'General Inquiry',
  ],
  ['Please add dark mode', 'Our night shift would love a dark theme for the agent panel.', 'Feature Request'],
  [
    'Update billing address',
    'We moved offices; the new address is 12 Harbour Street, Bristol.',
    'Billing Question',
  ],
  [
    'Printer on floor 3 offline',
    'The shared printer on floor 3 shows offline for every laptop.',
    'Report a Problem',
  ],
  [
    'Email attachments bounce',
    'Attachments larger than 5 MB come back as undeliverable.',
    'Report a Problem',
  ],
  [
    'Question about the annual plan',
    'If we switch to the annual plan mid-year, is the remainder prorated?',
    'Billing Question',
  ],
  [
    'Slow dashboard loading',
    'The reports dashboard takes over a minute to load since the upgrade.',
    'Report a Problem',
  ],
  ['Add SSO for our team', 'Can we sign in with our company Google accounts?', 'Feature Request'],
  [
    'Password reset email never arrives',
    'I requested three reset emails and none arrived, spam folder checked.',
    'Report a Problem',
  ],
];

const PEOPLE = [
  ['karen@example.com', 'Karen Smith'],
  ['alex.moreno@acme.example', 'Alex Moreno'],
  ['priya.shah@globex.example', 'Priya Shah'],
  ['tom.becker@initech.example', 'Tom Becker'],
  ['li.wei@umbrella.example', 'Li Wei'],
  ['sara.jones@example.com', 'Sara Jones'],
] as const;

/** Seeds the demo desk once; later calls find the marker and do nothing. Returns whether it seeded. */
export async function seedDemo(db: Db, now: number, log: Log): Promise<boolean> {
  if ((await findSettingValue(db, MARKER)) !== undefined) return false;
  await db.transaction().execute(async (trx) => {
    await seedDemoReference(trx, now);
    await seedDemoAutomation(trx, now);
  });
  // The demo's history is history: none of the mail it would have caused is
  // queued, and the scheduler's work that fell due along the way (reminders,
  // auto-close, SLA alerts) is done in the past, so a fresh desk sends nothing.
  await withoutJobs(isMailJob, () => seedDemoTickets(db, now, log));
  await upsertSetting(db, { key: MARKER, value: 'true', now }, true);
  return true;
}

/** Hours between one demo ticket and the next (a steady trickle, some gaps longer). */
const gapAfter = (i: number) => 12 * HOUR + (i % 5) * 37 * MINUTE;
/** The longest a demo ticket's own story runs after it opens (reply, fix, a day to confirm or reopen). */
const LONGEST_STORY = 40 * MINUTE + 3 * HOUR + DAY;

/**
 * A few dozen tickets in every state, made through the real services over the
 * past three weeks. Each ticket's story runs on its own clock from the moment
 * it opened, so the next ticket opens on schedule, and the last story ends
 * before `now`: nothing in the demo desk is dated in the future.
 */
async function seedDemoTickets(db: Db, now: number, log: Log): Promise<void> {
  const count = 36;
  let opensAt = now - HOUR - LONGEST_STORY;
  for (let i = 0; i < count; i++) opensAt -= gapAfter(i);
  const id = async (email: string) => {
    const agent = await findAgent(db, email);
    if (!agent) throw new Error(`the demo agent ${email} is missing`);
    return agent.id;
  };
  const jane = await loadAgentActor(db, await id('jane@deskline.local'));
  const admin = await loadAgentActor(db, await id('admin@deskline.local'));
  const sources = ['email', 'web', 'phone', 'api'] as const;

  for (let i = 0; i < count; i++) {
    const [subject, body, topic] = REQUESTS[i % REQUESTS.length]!;
    // Shifted by one person every round, so each customer's tickets go through every stage.
    const [email, name] = PEOPLE[(i + Math.floor(i / PEOPLE.length)) % PEOPLE.length]!;
    opensAt += gapAfter(i);
    const clock = new ManualClock(opensAt);
    const deps: Deps = { db, clock, log };
    await runSchedulerPass(deps);
    const t = await createTicket(deps, SYSTEM, {
      subject,
      body,
      requester: { email, name },
      helpTopic: topic,
      source: sources[i % 4]!,
    });
    const agent: Actor = t.department_id === jane.departments.keys().next().value ? jane : admin;
    const stage = i % 6; // 0 new, 1 in progress, 2 awaiting customer, 3 resolved, 4 closed, 5 reopened
    if (stage === 0) continue;
    clock.advance(40 * MINUTE);
    await tickets.assign(deps, agent, t.number, { assignee: agent.kind === 'agent' ? agent.id : null });
    await postReply(deps, agent, t.number, {
      body: `Hi ${name.split(' ')[0]}, thanks for reaching out. We are looking into it now.`,
      setState: stage === 2 ? 'pending' : 'open',
    });
    if (stage === 1) {
      await postNote(deps, agent, t.number, { body: 'Reproduced on staging; checking the logs.' });
      continue;
    }
    if (stage === 2) continue;
    clock.advance(3 * HOUR);
    await postReply(deps, agent, t.number, {
      body: 'This is fixed now. Please let us know if anything is still wrong.',
      setState: 'resolved',
    });
    if (stage === 4) {
      clock.advance(DAY);
      await tickets.confirm(deps, await loadCustomerActor(db, t.requester_id), t.number);
    }
    if (stage === 5) {
      clock.advance(DAY);
      await postCustomerMessage(deps, await loadCustomerActor(db, t.requester_id), t.number, {
        body: 'Sorry, it happened again this morning.',
        source: 'email',
      });
    }
  }
  // Up to just before now: what falls due after is the running desk's own work.
  await runSchedulerPass({ db, clock: new ManualClock(now - SECOND), log });
}
