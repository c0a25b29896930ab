import type { FastifyRequest } from 'fastify';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { SETTINGS } from '../../contract/settings.contract.ts';
import { getSetting, replaceSetting } from '../settings/settings.service.ts';
import { TicketParams } from '../../contract/tickets.contract.ts';
import { Answer, SurveyOut, TokenParams } from '../../contract/surveys.contract.ts';
import * as surveys from './surveys.service.ts';

/** Answers per link and per address: a link is a secret, but a loop or a scanner should not write a row per second. */
function limitAnswers(ctx: HttpContext, req: FastifyRequest, token: string) {
  ctx.limiter.hit(`survey:${token}`, 20, 60_000);
  ctx.limiter.hit(`survey-ip:${req.ip}`, 60, 60_000);
}

export function registerSurveyRoutes(ctx: HttpContext): void {
  const tags = ['Surveys'];
  const url = '/api/v1/settings/surveys';
  route(
    ctx,
    {
      method: 'GET',
      url,
      summary: 'Settings: satisfaction surveys',
      tags,
      access: 'admin',
      response: SETTINGS.surveys,
    },
    async () => getSetting(ctx.deps.db, 'surveys'),
  );
  route(
    ctx,
    {
      method: 'PUT',
      url,
      summary: 'Replace the survey settings (desk defaults and department overrides)',
      tags,
      access: 'admin',
      body: SETTINGS.surveys,
      response: SETTINGS.surveys,
    },
    async ({ body }) => replaceSetting(ctx.deps, 'surveys', body),
  );
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/surveys/:token',
      summary: 'A survey by its mailed link (records nothing)',
      tags,
      access: 'public',
      params: TokenParams,
      response: SurveyOut,
    },
    async ({ params }) => surveys.readSurvey(ctx.deps, params.token),
  );
  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/surveys/:token',
      summary: 'Record or change the rating through the mailed link',
      tags,
      access: 'public',
      params: TokenParams,
      body: Answer,
      response: SurveyOut,
      errors: [409, 429],
    },
    async ({ req, params, body }) => {
      limitAnswers(ctx, req, params.token);
      return surveys.answerSurvey(ctx.deps, params.token, body);
    },
  );
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/tickets/:number/rating',
      summary: "The ticket's survey and rating",
      tags,
      access: 'signed-in',
      scope: 'tickets:read',
      params: TicketParams,
      response: SurveyOut,
    },
    async ({ actor, params }) => surveys.ticketSurvey(ctx.deps, actor, params.number),
  );
  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/tickets/:number/rating',
      summary: 'The customer rates their resolved or closed ticket',
      tags,
      access: 'customer',
      params: TicketParams,
      body: Answer,
      response: SurveyOut,
      errors: [409],
    },
    async ({ actor, params, body }) => surveys.rateTicket(ctx.deps, actor, params.number, body),
  );
}
