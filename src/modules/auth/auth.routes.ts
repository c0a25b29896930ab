import { clearSessionCookie, setSessionCookie } from '../../http/auth.ts';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { limitLoginAddress, throttledSignIn, throttleIntake } from '../../http/throttles.ts';
import { AppError } from '../../lib/errors.ts';
import { redeemAccessLink, requestAccessLink } from './access-links.service.ts';
import { signup } from './accounts.service.ts';
import { loadAgentActor } from './actors.service.ts';
import {
  AccessLinkRedeem,
  AccessLinkRequest,
  ConfirmationSentOut,
  Credentials,
  CurrentUser,
  NewPassword,
  ProfileUpdate,
  RedeemedOut,
  SentIfKnownOut,
  SessionOut,
  Signup,
} from '../../contract/auth.contract.ts';
import { updateProfile } from '../directory/profile.service.ts';
import {
  changePassword,
  currentUser,
  endSession,
  login,
  signedIn,
  type SubjectType,
} from './sessions.service.ts';

const tags = ['Authentication'];

/** Sign-in for staff and customers, sign-out, password change, portal sign-up and access links. */
export function registerAuthRoutes(ctx: HttpContext): void {
  const signIn = (type: SubjectType, url: string, summary: string) =>
    route(
      ctx,
      {
        method: 'POST',
        url,
        summary,
        tags,
        access: 'public',
        body: Credentials,
        response: SessionOut,
        errors: [401, 429],
        throttle: (req) => limitLoginAddress(ctx, req),
      },
      async ({ req, reply, body }) => {
        const session = await throttledSignIn(ctx, req, type, body.email, () => login(ctx.deps, type, body));
        setSessionCookie(ctx, reply, session);
        return signedIn(ctx.deps, session);
      },
    );
  signIn('agent', '/api/v1/session', 'Staff sign-in (email + password); sets the session cookie');
  signIn('customer', '/api/v1/portal/session', 'Customer portal sign-in; sets the session cookie');

  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/session',
      summary: 'The current session and its CSRF token',
      tags,
      access: 'signed-in',
      response: SessionOut,
    },
    async ({ auth, actor }) => ({
      csrfToken: auth.via === 'session' ? auth.session.csrfToken : '',
      user: await currentUser(ctx.deps.db, actor),
    }),
  );

  route(
    ctx,
    { method: 'DELETE', url: '/api/v1/session', summary: 'Sign out', tags, access: 'signed-in', status: 204 },
    async ({ auth, reply }) => {
      if (auth.via === 'session') await endSession(ctx.deps, auth.session.idHash);
      clearSessionCookie(reply);
    },
  );

  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/me',
      summary: 'The current user',
      tags,
      access: 'signed-in',
      response: CurrentUser,
    },
    async ({ actor }) => currentUser(ctx.deps.db, actor),
  );

  route(
    ctx,
    {
      method: 'PATCH',
      url: '/api/v1/me',
      summary: 'Change my name or signature (agents)',
      tags,
      access: 'agent',
      scope: 'tickets:write',
      body: ProfileUpdate,
      response: CurrentUser,
    },
    async ({ actor, body }) => {
      if (actor?.kind !== 'agent') throw new AppError('forbidden', 403, 'Only agents have a profile here');
      await updateProfile(ctx.deps, actor.id, body);
      ctx.auth.forgetAgent(actor.id);
      return currentUser(ctx.deps.db, await loadAgentActor(ctx.deps.db, actor.id));
    },
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/me/password',
      summary: 'Change my password (ends my other sessions)',
      tags,
      access: 'signed-in',
      body: NewPassword,
      status: 204,
      errors: [401],
    },
    async ({ auth, body }) => {
      if (auth.via !== 'session') throw new AppError('session_required', 403, 'Sign in to change a password');
      await changePassword(ctx.deps, auth.session, body);
    },
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/portal/signup',
      summary:
        'Ask for a customer account: the address gets a confirmation link (same answer for every address; see POST /portal/confirm)',
      tags,
      access: 'public',
      body: Signup,
      response: ConfirmationSentOut,
      status: 202,
      errors: [429],
      throttle: throttleIntake(ctx),
    },
    async ({ body }) => {
      await signup(ctx.deps, body);
      return { status: 'confirmation_sent' as const };
    },
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/portal/access-links',
      summary: 'Mail a one-time sign-in link (same answer whether or not the address is known)',
      tags,
      access: 'public',
      body: AccessLinkRequest,
      response: SentIfKnownOut,
      status: 202,
      errors: [429],
      throttle: throttleIntake(ctx),
    },
    async ({ body }) => {
      await requestAccessLink(ctx.deps, body);
      return { status: 'sent_if_known' };
    },
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/portal/access-links/redeem',
      summary: 'Trade a sign-in link for a portal session',
      tags,
      access: 'public',
      body: AccessLinkRedeem,
      response: RedeemedOut,
      errors: [401, 429],
      throttle: throttleIntake(ctx),
    },
    async ({ reply, body }) => {
      const { session, ticket } = await redeemAccessLink(ctx.deps, body);
      setSessionCookie(ctx, reply, session);
      return { ...(await signedIn(ctx.deps, session)), ticket };
    },
  );
}
