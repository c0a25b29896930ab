import { setSessionCookie } from '../../http/auth.ts';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { throttleIntake } from '../../http/throttles.ts';
import {
  ConfirmationSentOut,
  Confirmation,
  ConfirmedOut,
  EmailChange,
} from '../../contract/auth.contract.ts';
import { confirmAddress, requestOwnEmailChange } from './accounts.service.ts';
import { signedIn } from './sessions.service.ts';

const tags = ['Authentication'];

/** Confirming a portal address (sign-up, email change) and a customer's own email change. */
export function registerAccountRoutes(ctx: HttpContext): void {
  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/portal/confirm',
      summary:
        'Redeem a confirmation link (sign-up: with the password chosen; own email change: signed in to that account) and sign in',
      tags,
      access: 'public',
      body: Confirmation,
      response: ConfirmedOut,
      errors: [401, 409, 429],
      throttle: throttleIntake(ctx),
    },
    async ({ reply, actor, body }) => {
      const { session, purpose } = await confirmAddress(ctx.deps, actor, body);
      setSessionCookie(ctx, reply, session);
      return { ...(await signedIn(ctx.deps, session)), purpose };
    },
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/me/email',
      summary:
        'Change my email address (customers): the new address gets a confirmation link; nothing changes until it is redeemed',
      tags,
      access: 'customer',
      body: EmailChange,
      response: ConfirmationSentOut,
      status: 202,
      errors: [429],
      throttle: throttleIntake(ctx),
    },
    async ({ actor, body }) => {
      await requestOwnEmailChange(ctx.deps, actor, body);
      return { status: 'confirmation_sent' as const };
    },
  );
}
