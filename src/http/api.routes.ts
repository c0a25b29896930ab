import { registerAttachmentRoutes } from '../modules/attachments/attachments.routes.ts';
import { registerAccountRoutes } from '../modules/auth/accounts.routes.ts';
import { registerAuthRoutes } from '../modules/auth/auth.routes.ts';
import { registerCompatRoutes } from '../modules/compat/compat.routes.ts';
import { registerDashboardRoutes } from '../modules/dashboard/dashboard.routes.ts';
import { registerDirectoryRoutes } from '../modules/directory/directory.routes.ts';
import { registerPeopleRoutes } from '../modules/directory/people.routes.ts';
import { registerApiKeyRoutes } from '../modules/auth/apikeys.routes.ts';
import { registerLiveRoutes } from '../modules/live/live.routes.ts';
import { registerMailRoutes } from '../modules/mail/mail.routes.ts';
import { registerQueueRoutes } from '../modules/queues/queues.routes.ts';
import { registerReportRoutes } from '../modules/reports/reports.routes.ts';
import { registerRoutingRoutes } from '../modules/routing/routing.routes.ts';
import { registerSurveyRoutes } from '../modules/surveys/surveys.routes.ts';
import { registerThreadRoutes } from '../modules/threads/threads.routes.ts';
import { registerTicketRoutes } from '../modules/tickets/tickets.routes.ts';
import type { HttpContext } from './context.ts';
import { registerOpenApiRoutes } from './openapi.routes.ts';

/**
 * Every API route module, in one list. The OpenAPI routes come last: the
 * document lists what was registered before them.
 */
export async function registerApiRoutes(ctx: HttpContext): Promise<void> {
  registerAuthRoutes(ctx);
  registerAccountRoutes(ctx);
  registerTicketRoutes(ctx);
  registerQueueRoutes(ctx);
  registerThreadRoutes(ctx);
  registerAttachmentRoutes(ctx);
  registerCompatRoutes(ctx);
  registerDirectoryRoutes(ctx);
  registerPeopleRoutes(ctx);
  registerApiKeyRoutes(ctx);
  registerMailRoutes(ctx);
  registerRoutingRoutes(ctx);
  registerLiveRoutes(ctx);
  registerSurveyRoutes(ctx);
  registerReportRoutes(ctx);
  registerDashboardRoutes(ctx);
  registerOpenApiRoutes(ctx);
}
