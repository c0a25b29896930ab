import { z } from 'zod';

// Attachments as clients send them (decoded and checked by the server's
// attachments.input.ts) and as the API lists them.

export const AttachmentInput = z.strictObject({
  filename: z.string().min(1).max(1024),
  contentType: z.string().max(255).optional(),
  /** Base64, or a data URL (`data:image/png;base64,…`). The size is checked once decoded. */
  data: z.string().max(40 * 1024 * 1024),
});
export type AttachmentInput = z.output<typeof AttachmentInput>;
export const Attachments = z.array(AttachmentInput).max(20);

export const AttachmentOut = z.object({
  id: z.number(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  url: z.string(),
});
export type AttachmentOut = z.output<typeof AttachmentOut>;
