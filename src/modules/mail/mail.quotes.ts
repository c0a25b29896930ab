import sanitizeHtml from 'sanitize-html';
import { sanitizeRichText } from '../../lib/sanitize.ts';

// A reply by email carries the whole conversation below the new text. The
// thread already has it, so the stored reply is cut at the first marker of
// quoted text (the raw message, with everything, stays in inbound_messages).

/** The line Deskline puts at the top of every mail it sends (see mail.templates.ts). */
export const REPLY_SEPARATOR = '-- reply above this line --';

const TEXT_MARKERS: RegExp[] = [
  // Our own separator, however a client re-wrapped or quoted it.
  /^[>\s]*-{2,}\s*reply above this line\s*-{2,}\s*$/im,
  // "On Mon, 23 Nov 2026 at 10:05, Support <support@…> wrote:" — Gmail folds it over two lines.
  /^[>\s]*On\b[^\n]{0,250}(?:\n[^\n]{0,250})?\bwrote:\s*$/m,
  // German, French, Spanish, Dutch clients.
  /^[>\s]*Am\b[^\n]{0,250}(?:\n[^\n]{0,250})?\bschrieb[^\n]{0,100}:\s*$/m,
  /^[>\s]*Le\b[^\n]{0,250}(?:\n[^\n]{0,250})?\ba écrit\s*:\s*$/m,
  /^[>\s]*El\b[^\n]{0,250}(?:\n[^\n]{0,250})?\bescribió:\s*$/m,
  /^[>\s]*Op\b[^\n]{0,250}(?:\n[^\n]{0,250})?\bschreef[^\n]{0,100}:\s*$/m,
  // Outlook: a rule of underscores, or none, then a "From: … Sent:|Date: …" header block.
  /^(?:_{10,}\s*\n)?[ \t]*\**(?:From|Von|De|Van)\s*:\**[^\n]*\n[ \t]*\**(?:Sent|Date|Gesendet|Envoyé|Enviado|Verzonden)\s*:/im,
  /^[ \t]*-{3,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{3,}/im,
];

/** The new text of a plain-text reply. */
export function stripQuotedText(text: string): string {
  let cut = text.length;
  for (const marker of TEXT_MARKERS) {
    const m = marker.exec(text);
    if (m && m.index < cut) cut = m.index;
  }
  const kept = text.slice(0, cut);
  // A bottom-posted quote without any header: drop trailing "> " lines.
  const lines = kept.trimEnd().split('\n');
  while (lines.length > 1 && /^\s*>/.test(lines[lines.length - 1]!)) lines.pop();
  const result = lines.join('\n').trim();
  // Everything was quote (a forward, say): keep the whole rather than store nothing.
  return result || text.trim();
}

/** The new part of an HTML reply: quote containers as Gmail, Apple Mail, Thunderbird and Outlook write them. */
export function stripQuotedHtml(html: string): string {
  const marker = html.toLowerCase().indexOf('reply above this line');
  let kept =
    marker > 0
      ? html.slice(0, html.lastIndexOf('<', marker) > 0 ? html.lastIndexOf('<', marker) : marker)
      : html;
  kept = sanitizeHtml(kept, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    exclusiveFilter: (frame) => {
      const cls = frame.attribs.class ?? '';
      return (
        /\b(gmail_quote|gmail_extra|yahoo_quoted|moz-cite-prefix)\b/.test(cls) ||
        (frame.tag === 'blockquote' && frame.attribs.type === 'cite') ||
        frame.attribs.id === 'divRplyFwdMsg' ||
        frame.attribs.id === 'appendonsend'
      );
    },
  });
  return kept.trim() || html;
}

/** What the thread shows for a message that says nothing (no body, or only whitespace or empty markup). */
export const EMPTY_MESSAGE = '(empty message)';

/** Spaces of every script and the invisible characters mail clients leave behind. */
const INVISIBLE = /[\s\u200b-\u200d\u2060\ufeff]|&nbsp;|&#160;/gu;
const says = (text: string) => text.replace(INVISIBLE, '') !== '';
/** HTML that shows something once sanitized: text, or an image. */
const htmlSays = (html: string) => {
  const clean = sanitizeRichText(html);
  return /<img\b/i.test(clean) || says(clean.replace(/<[^>]*>/g, ''));
};

/**
 * What a message says, as the thread keeps it: its text, else its HTML (for a
 * reply, cut at the quoted conversation). A message that says nothing still
 * opens or continues its ticket, and the thread says it was empty.
 */
export function contentOf(
  mail: { text: string; html: string },
  reply: boolean,
): { body: string; format: 'text' | 'html' } {
  if (says(mail.text)) return { body: reply ? stripQuotedText(mail.text) : mail.text, format: 'text' };
  if (htmlSays(mail.html)) return { body: reply ? stripQuotedHtml(mail.html) : mail.html, format: 'html' };
  return { body: EMPTY_MESSAGE, format: 'text' };
}
