import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { Dialect } from '../src/db/database.ts';
import { openDatabase } from '../src/db/database.ts';
import { WEB_DIR } from '../src/http/web.routes.ts';
import { launchChromium } from '../test/e2e/support/browser.ts';
import { freePort, startServer, type BenchTarget } from './desk.ts';
import { fmt, fmtInt, percentile, table } from './stats.ts';
import { openUiDesk } from './ui.seed.ts';

// The agent panel in Chromium over a desk of N tickets: how long until a
// queue's first page, and a ticket view, can be used. "Interactive" is read
// in the page, not by polling from outside (Playwright's waits back off to
// 500 ms): a MutationObserver notes the first frame (requestAnimationFrame)
// after the first row's link, or the ticket's heading and composer, entered
// the document — ms since the navigation started, so HTML, scripts, the API
// calls and rendering are all included.

const TARGET_MS = 300;
const RUNS = 15;
const QUEUES = ['open', 'unassigned', 'mine', 'awaiting', 'closed'];

export interface UiFigure {
  name: string;
  p50: number;
  p95: number;
}
export interface UiResult {
  dialect: Dialect;
  tickets: number;
  figures: UiFigure[];
}

export async function benchUi(o: BenchTarget & { tickets: number }): Promise<UiResult> {
  buildWebIfMissing();
  const desk = await openUiDesk(o);
  const picks = await ticketsToOpen(desk.url);
  const port = await freePort();
  // A web node, as in a cluster: the bulk desk's old resolved tickets would
  // otherwise keep the scheduler closing them in the background while it is timed.
  const server = await startServer(desk.url, port, { DESKLINE_ROLE: 'web' });
  const browser = await launchChromium();
  const base = `http://127.0.0.1:${port}`;
  try {
    const page = await signedInPage(browser, base);
    const figures: UiFigure[] = [];
    for (const queue of QUEUES) {
      const times = await repeat(() => openQueue(page, `${base}/agent/queues/${queue}`));
      if (times) figures.push(summary(`queue "${queue}", first page`, times));
    }
    let i = 0;
    const ticketTimes = await repeat(() => openTicket(page, base, picks[i++ % picks.length]!));
    if (ticketTimes) figures.push(summary('ticket view (page load)', ticketTimes));
    const clickTimes = await repeat(() => clickThrough(page, `${base}/agent/queues/open`));
    if (clickTimes) figures.push(summary('queue row → ticket view (in the app)', clickTimes));
    print(o.dialect, desk.tickets, figures);
    return { dialect: o.dialect, tickets: desk.tickets, figures };
  } finally {
    await browser.close();
    server.kill();
  }
}

function buildWebIfMissing(): void {
  if (fs.existsSync(`${WEB_DIR}/agent/index.html`)) return;
  console.log('  building the web UI (vite build)');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed');
}

/** Tickets Jane may open, spread over the whole table (ids far apart, every state). */
async function ticketsToOpen(url: string): Promise<{ number: string; subject: string }[]> {
  const handle = openDatabase(url);
  try {
    const jane = await handle.db
      .selectFrom('agents')
      .select('id')
      .where('email', '=', 'jane@deskline.local')
      .executeTakeFirstOrThrow();
    const depts = await handle.db
      .selectFrom('agent_departments')
      .select('department_id')
      .where('agent_id', '=', jane.id)
      .execute();
    const max = await handle.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    const picks: { number: string; subject: string }[] = [];
    for (let k = 1; k <= RUNS; k++) {
      const row = await handle.db
        .selectFrom('tickets')
        .select(['number', 'subject'])
        .where('id', '>=', Math.floor((Number(max.id) * k) / (RUNS + 1)))
        .where(
          'department_id',
          'in',
          depts.map((d) => d.department_id),
        )
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (row) picks.push(row);
    }
    if (!picks.length) throw new Error('no ticket in Jane’s departments');
    return picks;
  } finally {
    await handle.close();
  }
}

async function signedInPage(browser: Browser, base: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(20_000);
  await page.addInitScript({ content: WATCH_READY });
  await page.goto(`${base}/agent/`);
  await page.getByLabel('Email').fill('jane@deskline.local');
  await page.getByLabel(/^Password/).fill('deskline-agent');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Queues' }).waitFor();
  return page;
}

/** What "ready" means per screen: every selector present. */
const READY = {
  queue: ['table tbody tr a'],
  ticket: ['main h2', 'main textarea'],
};
type Screen = keyof typeof READY;
type Marks = { deskReady: Record<string, number> };

/**
 * Runs in the page before its scripts: notes, per screen, the first frame in
 * which it was ready. A string, so no compiler helper leaks into the page.
 */
const WATCH_READY = `(() => {
  const ready = ${JSON.stringify(READY)};
  const seen = (window.deskReady = {});
  const check = () => {
    for (const [screen, selectors] of Object.entries(ready)) {
      if (seen[screen] !== undefined || !selectors.every((s) => document.querySelector(s))) continue;
      seen[screen] = -1;
      requestAnimationFrame((t) => (seen[screen] = t));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
})();`;

/** The first frame with `screen` ready, in ms since the navigation started; waits for it. */
async function readyAt(page: Page, screen: Screen): Promise<number> {
  const handle = await page.waitForFunction(
    (s) => {
      const t = (globalThis as unknown as Marks).deskReady[s];
      return t !== undefined && t >= 0 ? t : null;
    },
    screen,
    { polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

/** ms from navigation start to the first row's link on screen; null for an empty queue. */
async function openQueue(page: Page, url: string): Promise<number | null> {
  await page.goto(url, { waitUntil: 'commit' });
  const row = page.locator('table tbody tr a').first();
  await row
    .or(page.getByText(/No tickets/))
    .first()
    .waitFor();
  if (!(await row.isVisible())) return null;
  return readyAt(page, 'queue');
}

async function openTicket(page: Page, base: string, t: { number: string; subject: string }) {
  await page.goto(`${base}/agent/tickets/${t.number}`, { waitUntil: 'commit' });
  await page.getByRole('heading', { name: t.subject }).first().waitFor();
  return readyAt(page, 'ticket');
}

/** Click on the first row of a loaded queue until its ticket view is ready (measured from the click). */
async function clickThrough(page: Page, queueUrl: string): Promise<number | null> {
  if ((await openQueue(page, queueUrl)) === null) return null;
  await page.evaluate(() => delete (globalThis as unknown as Marks).deskReady.ticket);
  const link = page.locator('table tbody tr a').first();
  const subject = ((await link.textContent()) ?? '').trim();
  const start = await page.evaluate(() => performance.now());
  await link.click();
  await page.getByRole('heading', { name: subject }).first().waitFor();
  return (await readyAt(page, 'ticket')) - start;
}

/** One warm-up, then RUNS measured runs; null when the page had nothing to measure. */
async function repeat(run: () => Promise<number | null>): Promise<number[] | null> {
  if ((await run()) === null) return null;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = await run();
    if (t !== null) times.push(t);
  }
  return times.length ? times.sort((a, b) => a - b) : null;
}

const summary = (name: string, sorted: number[]): UiFigure => ({
  name,
  p50: percentile(sorted, 50),
  p95: percentile(sorted, 95),
});

function print(dialect: Dialect, tickets: number, figures: UiFigure[]): void {
  console.log(`  [${dialect}] agent panel in Chromium at ${fmtInt(tickets)} tickets (${RUNS} runs each):`);
  const rows: (string | number)[][] = [['  screen', 'p50 ms', 'p95 ms', 'target', 'ratio (p95)']];
  for (const f of figures)
    rows.push([`  ${f.name}`, fmt(f.p50, 0), fmt(f.p95, 0), `< ${TARGET_MS}`, fmt(TARGET_MS / f.p95)]);
  console.log(table(rows));
}
