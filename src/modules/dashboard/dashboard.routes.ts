import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { DashboardOut } from '../../contract/dashboard.contract.ts';
import { dashboard } from './dashboard.service.ts';

export function registerDashboardRoutes(ctx: HttpContext): void {
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/dashboard',
      summary:
        "The agent's dashboard: open, due, overdue and unassigned counts, today's flow and this week's CSAT",
      tags: ['Dashboard'],
      access: 'agent',
      scope: 'tickets:read',
      response: DashboardOut,
    },
    async ({ actor }) => dashboard(ctx.deps, actor),
  );
}
