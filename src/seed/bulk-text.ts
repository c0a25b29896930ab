// Deterministic pseudo-random content for the bulk seeder: a tiny PRNG and
// support-flavoured text built from phrase arrays. No dependencies, so the same
// seed gives the same database on every machine and dialect.

/** mulberry32: 32-bit state, good enough spread for test data and very fast. */
export class Rand {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Index drawn by weight; `cumulative` holds running totals (last = total). */
  weighted(cumulative: readonly number[]): number {
    const total = cumulative[cumulative.length - 1] ?? 0;
    const x = this.next() * total;
    let i = 0;
    while (i < cumulative.length - 1 && x >= (cumulative[i] ?? total)) i++;
    return i;
  }
}

export function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

const FIRST =
  'Anna Ben Carla David Elena Farid Grace Hugo Ines Jonas Kim Lena Marco Nora Omar Paula Quinn Rosa Sam Tara Umar Vera Will Yara Zoe'.split(
    ' ',
  );
const LAST =
  'Adams Berg Costa Dubois Evans Fischer Garcia Hansen Ito Jensen Kowalski Lopez Meyer Novak Olsen Patel Rossi Silva Tanaka Urban Weber Young Zimmer'.split(
    ' ',
  );

/** Name of bulk customer k (derived, so re-reading the pool needs no names from the database). */
export function customerName(k: number): string {
  return `${FIRST[k % FIRST.length]} ${LAST[Math.floor(k / FIRST.length) % LAST.length]}`;
}

export function customerEmail(k: number): string {
  return `c${String(k).padStart(6, '0')}@bulk.example`;
}

const SUBJECT_WHAT = [
  'Cannot log in',
  'Invoice shows the wrong amount',
  'Password reset email never arrives',
  'App crashes on start',
  'Export to CSV is empty',
  'Payment was charged twice',
  'Cannot upload attachments',
  'Dashboard loads very slowly',
  'Two-factor codes are rejected',
  'Need to change the billing address',
  'VPN connection drops',
  'Printer queue is stuck',
  'Sync stopped working',
  'Request for a refund',
  'Error 500 when saving',
  'Mailbox is full',
  'New user account needed',
  'License key not accepted',
  'Data missing from report',
  'Cannot cancel subscription',
];
const SUBJECT_WHEN = [
  '',
  '',
  ' after the update',
  ' since this morning',
  ' on mobile',
  ' for our whole team',
  ' again',
  ' on the new laptop',
  ' in Firefox',
  ' after password change',
  ' - urgent',
  ' since yesterday',
];

export function subject(r: Rand): string {
  return r.pick(SUBJECT_WHAT) + r.pick(SUBJECT_WHEN);
}

const CUSTOMER_OPEN = [
  'Hello,',
  'Hi there,',
  'Hi support team,',
  'Good morning,',
  'Dear support,',
  'Hello again,',
];
const CUSTOMER_SAY = [
  'Since this morning I cannot log in to the portal; it says my session has expired right after I enter the password.',
  'I already tried clearing the browser cache and cookies, but nothing changed.',
  'The same thing happens on my colleague\u2019s computer, so I do not think it is only my machine.',
  'Our last invoice lists twelve seats, but we only have nine active users at the moment.',
  'This is blocking our month-end close, so a quick answer would be very much appreciated.',
  'I attached a screenshot of the error message that appears after about ten seconds.',
  'It worked fine until the update last Tuesday, and nothing else changed on our side.',
  'We are on the business plan and our account number should be in the signature below.',
  'When I click Export the file downloads, but it only contains the header row.',
  'I restarted the application twice and even reinstalled it, with the same result.',
  'Could you please check whether something is wrong with our account configuration?',
  'The problem seems to happen mostly in the afternoon, when more people are working.',
  'I followed the steps from your help article, but the option it mentions is not visible for me.',
  'Several customers of ours have reported the same behaviour this week.',
  'Please let me know if you need any logs or more details from our side.',
  'Our IT department confirmed that the firewall is not blocking anything.',
  'I am writing again because I have not heard back about this yet.',
  'The error code shown is E-4021, in case that helps you find the cause.',
];
const CUSTOMER_CLOSE = ['Thanks in advance,', 'Kind regards,', 'Best,', 'Thank you,', 'Regards,'];

const AGENT_OPEN = [
  'Thank you for contacting us.',
  'Thanks for the details, that helps a lot.',
  'Sorry for the trouble, and thanks for your patience.',
  'Thanks for getting back to us.',
];
const AGENT_SAY = [
  'I have checked your account and can confirm that the configuration looks correct on our side.',
  'Could you please tell us which browser and version you are using?',
  'Our engineers found the cause and deployed a fix a few minutes ago.',
  'I have corrected the invoice and a credit note for the difference will arrive by email shortly.',
  'Please try signing out of all sessions and signing in again; that resets the stored token.',
  'This is a known issue in the current release, and a fix is planned for the next update.',
  'I have reset the two-factor setup for your user, so you can enrol your device again.',
  'If the problem comes back, simply reply to this message and the ticket will reopen.',
  'You can find the new setting under Account, then Preferences, then Security.',
  'I have escalated this to our second-level team, who will contact you within one business day.',
  'The export limit has been raised for your account; please try the export again.',
  'Could you send us the exact time when the error last happened, including the time zone?',
  'We have refunded the duplicate charge; it may take three to five days to appear on your statement.',
  'I was able to reproduce the behaviour and have shared the details with our developers.',
];
const AGENT_CLOSE = ['Best regards,', 'Kind regards,', 'Have a great day,', 'Thanks again,'];
const NOTE_SAY = [
  'Customer is on the legacy plan; check the old billing rules before changing anything.',
  'Reproduced on staging with the same account settings.',
  'Second report of this issue today; linking with the open incident.',
  'Asked engineering in the team channel, waiting for an answer.',
  'Refund approved by the billing lead.',
  'Looks like a caching problem on the edge servers; see the monitoring graphs from this morning.',
  'Do not close before the customer confirms the fix works for all their users.',
  'Checked the logs: the requests time out after thirty seconds at the load balancer.',
];

/** Lengths 200..1500, skewed short like real mail (mean about 650). */
function targetLength(r: Rand): number {
  return 200 + Math.floor(1300 * r.next() ** 1.8);
}

function compose(r: Rand, head: string, pool: readonly string[], tail: string): string {
  const target = targetLength(r);
  let text = head;
  while (text.length + tail.length < target)
    text += (text.length === head.length ? '\n\n' : ' ') + r.pick(pool);
  text += tail;
  if (text.length <= 1500) return text;
  const cut = text.lastIndexOf(' ', 1499);
  return text.slice(0, cut > 0 ? cut : 1500);
}

export function customerBody(r: Rand, name: string): string {
  return compose(r, r.pick(CUSTOMER_OPEN), CUSTOMER_SAY, `\n\n${r.pick(CUSTOMER_CLOSE)}\n${name}`);
}

export function agentBody(r: Rand, customer: string, agent: string): string {
  const head = `Hi ${customer.split(' ')[0] ?? customer},\n\n${r.pick(AGENT_OPEN)}`;
  return compose(r, head, AGENT_SAY, `\n\n${r.pick(AGENT_CLOSE)}\n${agent}`);
}

export function noteBody(r: Rand): string {
  return compose(r, 'Internal note:', NOTE_SAY, '');
}
