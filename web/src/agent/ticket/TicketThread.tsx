import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { TINT } from '../../ui/a11y.tsx';
import { AttachmentList } from '../../ui/attachments.tsx';
import { htmlText } from '../../ui/htmlText.ts';
import { ThreadCard } from '../../ui/parts.tsx';
import { when } from './data.ts';
import type { ThreadItem } from './types.ts';

const KIND = {
  message: { bg: TINT.message, label: 'Customer' },
  reply: { bg: TINT.reply, label: 'Reply' },
  note: { bg: TINT.note, label: 'Internal note' },
} as const;

type Block = { kind: 'entry'; item: ThreadItem } | { kind: 'events'; items: ThreadItem[] };

/** Events that only repeat the message, reply or note shown right there: not rows of their own. */
const ECHOES = new Set(['replied', 'customer_replied', 'noted']);

/** Runs of consecutive events become one block, so the conversation stays readable. */
function blocks(thread: ThreadItem[]): Block[] {
  const out: Block[] = [];
  for (const item of thread) {
    const last = out.at(-1);
    if (item.kind === 'event' && ECHOES.has(item.type ?? '')) continue;
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
                ? { footer: <AttachmentList items={b.item.attachments} /> }
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
    <Card p={4} px="sm" bg={TINT.events} withBorder data-kind="events">
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
