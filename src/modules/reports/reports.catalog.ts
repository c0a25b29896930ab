import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { agentsReport } from './reports.agents.service.ts';
import { csatReport } from './reports.csat.service.ts';
import { toCsv } from './reports.csv.ts';
import type { Scope } from './reports.scope.ts';
import { slaReport } from './reports.sla.service.ts';
import { speedReport } from './reports.speed.service.ts';
import { volumeReport } from './reports.volume.service.ts';
import { AgentsOut, CsatOut, SlaReportOut, SpeedOut, VolumeOut } from '../../contract/reports.contract.ts';
import { isoText } from '../../contract/instant.contract.ts';

// Every report: how it runs, and which rows its CSV holds (the JSON's main table).

interface Ran {
  json: object;
  csv: () => string;
}

interface Report {
  summary: string;
  /** The JSON answer's shape, for the documentation. */
  out: z.ZodType;
  run: (db: Db, scope: Scope) => Promise<Ran>;
}

function report<S extends z.ZodType<object>>(
  summary: string,
  out: S,
  run: (db: Db, scope: Scope) => Promise<z.output<S>>,
  csv: (result: z.output<S>) => string,
): Report {
  return {
    summary,
    out,
    run: async (db, scope) => {
      const json = await run(db, scope);
      return { json, csv: () => csv(json) };
    },
  };
}

export const REPORTS: Record<string, Report> = {
  volume: report(
    'Tickets created, resolved, closed and reopened per period, and the backlog at its end',
    VolumeOut,
    volumeReport,
    (r) => toCsv(['period', 'created', 'resolved', 'closed', 'reopened', 'backlog'], r.series),
  ),
  speed: report(
    'First response, next response and resolution times (mean, median, 90th percentile), calendar and business hours',
    SpeedOut,
    speedReport,
    (r) =>
      toCsv(
        [
          'measure',
          'count',
          'meanMs',
          'medianMs',
          'p90Ms',
          'businessMeanMs',
          'businessMedianMs',
          'businessP90Ms',
        ],
        (['firstResponse', 'nextResponse', 'resolution', 'firstResolution'] as const).map((m) => ({
          measure: m,
          count: r[m].count,
          ...r[m].calendar,
          businessMeanMs: r[m].business.meanMs,
          businessMedianMs: r[m].business.medianMs,
          businessP90Ms: r[m].business.p90Ms,
        })),
      ),
  ),
  sla: report(
    'SLA compliance for first response and resolution, and the breaches',
    SlaReportOut,
    slaReport,
    (r) =>
      toCsv(
        ['number', 'subject', 'clock', 'dueAt', 'at', 'department', 'agent'],
        r.breaches.map((b) => ({
          ...b,
          dueAt: isoText(b.dueAt),
          at: isoText(b.at),
        })),
      ),
  ),
  agents: report(
    'Per agent: tickets resolved, replies, median first response and CSAT',
    AgentsOut,
    agentsReport,
    (r) =>
      toCsv(
        ['agentId', 'name', 'resolved', 'replies', 'firstResponseMedianMs', 'csatResponses', 'csatScore'],
        r.rows.map((a) => ({ ...a, csatResponses: a.csat.responses, csatScore: a.csat.score })),
      ),
  ),
  csat: report(
    'Satisfaction: surveys sent, responses, response rate, score, distribution and comments',
    CsatOut,
    csatReport,
    (r) =>
      toCsv(
        ['number', 'score', 'comment', 'at', 'agent'],
        r.comments.map((c) => ({ ...c, at: isoText(c.at) })),
      ),
  ),
};
