import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { REPORTS } from './reports.catalog.ts';
import { ReportQuery } from './reports.scope.ts';
import { runReport } from './reports.service.ts';

const tags = ['Reports'];

/** GET /api/v1/reports/<name>: JSON, or with format=csv the same rows as a download. */
export function registerReportRoutes(ctx: HttpContext): void {
  for (const [name, report] of Object.entries(REPORTS)) {
    route(
      ctx,
      {
        method: 'GET',
        url: `/api/v1/reports/${name}`,
        summary: report.summary,
        tags,
        access: 'agent',
        scope: 'tickets:read',
        query: ReportQuery,
        response: report.out,
        // format=csv: the same rows as a download (the JSON's main table).
        alsoAs: { 'text/csv': z.string() },
        errors: [403],
      },
      async ({ actor, query, reply }) => {
        const result = await runReport(ctx.deps.db, actor, name, query);
        if (query.format !== 'csv') return result.json;
        return sendCsv(reply, `${name}-${query.from}-to-${query.to}.csv`, result.csv());
      },
    );
  }
}

const sendCsv = (reply: FastifyReply, filename: string, body: string) =>
  reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(body);
