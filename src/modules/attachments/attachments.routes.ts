import { z } from 'zod';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { openAttachment } from './attachments.service.ts';

/** Downloads: always as an attachment with nosniff, so a stored HTML or SVG file never renders in the desk's origin. */
export function registerAttachmentRoutes(ctx: HttpContext): void {
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/attachments/:id',
      summary: 'Download an attachment of a ticket you may see',
      tags: ['Thread'],
      access: 'signed-in',
      scope: 'tickets:read',
      params: z.strictObject({ id: z.coerce.number().int().positive() }),
      // The file as it was stored, in whatever media type it has.
      contentType: '*/*',
      errors: [410],
    },
    async ({ actor, params, reply }) => {
      const file = await openAttachment(ctx.deps, actor, params.id);
      reply
        .type(file.contentType)
        .header('content-length', String(file.size))
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox");
      // Returned, not sent here: the route sends it once and does not wait for the stream's end.
      return file.stream;
    },
  );
}
