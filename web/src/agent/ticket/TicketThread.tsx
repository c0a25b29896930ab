import { Anchor, Button, Card, Group, Image, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ThreadCard } from '../../ui/parts.tsx';
import { fileSize, when } from './data.ts';
import type { Attachment, ThreadItem } from './types.ts';

const KIND = {
  message: { bg: 'white', label: 'Customer' },
  reply: { bg: 'blue.0', label: 'Reply' },
  note: { bg: 'yellow.1', label: 'Internal note' },
} as const;

/**
 * An HTML body (from email) as its text: parsed in an inert document, so no
 * script, image or style of the sender's ever runs or loads in the desk.
 */
function htmlText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script, style, head').forEach((n) => n.remove());
  doc.querySelectorAll('br').forEach((n) => n.replaceWith('\n'));
  doc.querySelectorAll('p, div, li, tr, h1, h2, h3, h4, blockquote').forEach((n) => n.append('\n'));
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

type Block = { kind: 'entry'; item: ThreadItem } | { kind: 'events'; items: ThreadItem[] };

/** Runs of consecutive events become one block, so the conversation stays readable. */
function blocks(thread: ThreadItem[]): Block[] {
  const out: Block[] = [];
  for (const item of thread) {
    const last = out.at(-1);
    if (item.kind !== 'event') out.push({ kind: 'entry', item });
    else if (last?.kind === 'events') last.items.push(item);
    else out.push({ kind: 'events', items: [item] });
  }
  return out;
}

/** Customer messages, replies and internal notes (yellow), with events folded into "N events" rows. */
export function TicketThread({ thread }: { thread: ThreadItem[] }) {
  return (
    <Stack gap="xs" aria-label="Thread" role="list">
      {blocks(thread).map((b) =>
        b.kind === 'entry' ? (
          <div role="listitem" key={`${b.item.kind}-${b.item.id}`}>
            <ThreadCard
              kind={b.item.kind}
              author={`${b.item.author.name} · ${KIND[b.item.kind as keyof typeof KIND].label}`}
              at={b.item.createdAt}
              bg={KIND[b.item.kind as keyof typeof KIND].bg}
              {...(b.item.attachments.length > 0
                ? { footer: <Attachments files={b.item.attachments} /> }
                : {})}
            >
              {b.item.format === 'html' ? htmlText(b.item.body) : b.item.body}
            </ThreadCard>
          </div>
        ) : (
          <div role="listitem" key={`events-${b.items[0]!.id}`}>
            <Events items={b.items} />
          </div>
        ),
      )}
    </Stack>
  );
}

function Events({ items }: { items: ThreadItem[] }) {
  const [open, setOpen] = useState(false);
  const id = `events-${items[0]!.id}`;
  const latest = items.at(-1)!;
  return (
    <Card p={4} px="sm" bg="gray.0" withBorder data-kind="events">
      <Group gap="xs" wrap="nowrap">
        <Button
          variant="subtle"
          size="compact-xs"
          aria-expanded={open}
          aria-controls={open ? id : undefined}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾' : '▸'} {items.length} {items.length === 1 ? 'event' : 'events'}
        </Button>
        {!open && (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {latest.body} · {when(latest.createdAt)}
          </Text>
        )}
      </Group>
      {open && (
        <Stack gap={2} pl="lg" py={4} id={id}>
          {items.map((e) => (
            <Text size="xs" key={e.id} data-kind="event">
              <Text span c="dimmed">
                {when(e.createdAt)}
              </Text>{' '}
              {e.body}{' '}
              <Text span c="dimmed">
                · {e.author.name}
              </Text>
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** A paper clip (no emoji font is needed). */
export function Clip() {
  return (
    <svg width="12" height="12" viewBox="0 0 24 24" aria-hidden="true" style={{ verticalAlign: '-1px' }}>
      <path
        d="M16.5 6.5 8 15a2.1 2.1 0 0 0 3 3l8.5-8.5a4.2 4.2 0 0 0-6-6L5 12a6.4 6.4 0 0 0 9 9l7-7"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
      />
    </svg>
  );
}

/** Images as thumbnails (click opens the file), anything else as a download link with its size. */
export function Attachments({ files }: { files: Attachment[] }) {
  const images = files.filter((f) => f.contentType.startsWith('image/') && f.contentType !== 'image/svg+xml');
  const others = files.filter((f) => !images.includes(f));
  return (
    <Stack gap={4} mt="xs" aria-label="Attachments">
      {images.length > 0 && (
        <Group gap="xs">
          {images.map((f) => (
            <Anchor key={f.id} href={f.url} title={`${f.filename} (${fileSize(f.size)})`}>
              <Image
                src={f.url}
                alt={f.filename}
                h={96}
                w="auto"
                maw={200}
                fit="contain"
                radius="sm"
                bd="1px solid var(--mantine-color-gray-3)"
              />
            </Anchor>
          ))}
        </Group>
      )}
      {others.map((f) => (
        <Anchor key={f.id} href={f.url} size="sm" download={f.filename}>
          <Clip /> {f.filename}{' '}
          <Text span size="xs" c="dimmed">
            ({fileSize(f.size)})
          </Text>
        </Anchor>
      ))}
    </Stack>
  );
}
