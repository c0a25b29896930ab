import { Alert, Button, Card, Center, Group, Loader, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TicketDetailOut } from '../../../src/contract/tickets.contract.ts';
import { PageHeading, TINT } from '../ui/a11y.tsx';
import { api, ApiError } from '../ui/api.ts';
import { navigate } from '../ui/path.ts';
import { ErrorAlert, ThreadCard } from '../ui/parts.tsx';
import { formErrors } from '../ui/errorText.ts';
import { AttachmentList, AttachmentPicker, toPayload, useFilePicker } from '../ui/attachments.tsx';
import { htmlText } from '../ui/htmlText.ts';
import { useTitle } from './session.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { formatDate } from '../ui/format.ts';
import { TicketRating } from './TicketRating.tsx';

/** The public view: messages and replies (never notes or internal events), reply with files, confirm or reopen. */
export function PortalTicket({ number }: { number: string }) {
  const client = useQueryClient();
  const key = ['portal-ticket', number];
  const ticket = useQuery({
    queryKey: key,
    queryFn: () => api<TicketDetailOut>('GET', `/api/v1/tickets/${number}`),
  });
  useTitle(ticket.data ? `#${ticket.data.number} ${ticket.data.subject}` : `Ticket #${number}`);
  const [body, setBody] = useState('');
  // The resolution mail's "No, it is not" link opens the reason box; the reopen still needs the click.
  const [notSolved, setNotSolved] = useState(
    () => new URLSearchParams(window.location.search).get('answer') === 'not-solved',
  );
  const [why, setWhy] = useState('');
  const picker = useFilePicker();
  // What the last action did, said until the next one starts.
  const [notice, setNotice] = useState<{ title: string; text: string } | null>(null);
  const act = useMutation({
    onMutate: () => setNotice(null),
    mutationFn: ([path, payload]: [string, unknown]) =>
      api('POST', `/api/v1/tickets/${number}/${path}`, payload),
    onSuccess: (_r, [path]) => {
      if (path === 'reopen') setNotSolved(false);
      if (path === 'replies') {
        setBody('');
        picker.clear();
        setNotice({ title: 'Your reply was sent', text: 'We will answer here and by email.' });
      }
      if (path === 'confirm')
        setNotice({ title: 'Thank you for confirming', text: 'We have marked this ticket as solved.' });
      if (path === 'reopen')
        setNotice({ title: 'The ticket is open again', text: 'We will pick it up and answer you.' });
      void client.invalidateQueries({ queryKey: key });
      void client.invalidateQueries({ queryKey: ['portal-tickets'] });
    },
  });
  if (ticket.isPending)
    return (
      <Center py="xl">
        <Loader aria-label="Loading the ticket" />
      </Center>
    );
  if (ticket.isError)
    return (
      <Stack>
        <ErrorAlert error={ticket.error} />
        {ticket.error instanceof ApiError && ticket.error.status === 404 && (
          <Text size="sm">Check the number, or sign in with the account that opened the ticket.</Text>
        )}
        <Group>
          <Button variant="default" onClick={() => navigate('/')}>
            Back to my tickets
          </Button>
        </Group>
      </Stack>
    );
  const t = ticket.data;
  const errors = formErrors(act.error, { body: 'body' });
  const visible = t.thread.filter((i) => i.kind === 'message' || i.kind === 'reply');
  return (
    <Stack>
      <div>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <PageHeading size="h3" style={{ overflowWrap: 'anywhere' }}>
            {t.subject}
          </PageHeading>
          <StatusBadge state={t.state} labelled />
        </Group>
        <Text size="sm" c="dimmed">
          #{t.number} · {t.helpTopic ?? t.department} · opened {formatDate(t.createdAt)}
        </Text>
      </div>
      {t.state === 'resolved' && (
        <Alert color="green" title="We think this is solved">
          <Text size="sm">Did our answer fix it? If not, tell us and we will pick it up again.</Text>
          <Group mt="xs" gap="xs">
            <Button color="green" loading={act.isPending} onClick={() => act.mutate(['confirm', {}])}>
              This solved my problem
            </Button>
            <Button variant="default" onClick={() => setNotSolved(true)}>
              It is not solved
            </Button>
          </Group>
          {notSolved && (
            <Stack gap="xs" mt="sm">
              <Textarea
                label="What is still wrong?"
                autosize
                minRows={2}
                value={why}
                onChange={(e) => setWhy(e.currentTarget.value)}
              />
              <Group>
                <Button
                  variant="default"
                  loading={act.isPending && act.variables[0] === 'reopen'}
                  onClick={() => act.mutate(['reopen', why.trim() ? { comment: why } : {}])}
                >
                  Reopen the ticket
                </Button>
              </Group>
            </Stack>
          )}
        </Alert>
      )}
      {(t.state === 'resolved' || t.state === 'closed') && <TicketRating number={t.number} />}
      {t.state === 'closed' && (
        <Alert color="gray" title="This ticket is closed">
          <Text size="sm">Still having trouble? Reopen it, or open a new ticket for something else.</Text>
          <Button mt="xs" variant="default" onClick={() => act.mutate(['reopen', {}])}>
            Reopen
          </Button>
        </Alert>
      )}
      {notice && (
        <Alert color="green" role="status" title={notice.title}>
          {notice.text}
        </Alert>
      )}
      <ErrorAlert text={errors.banner} />
      {visible.map((i) => (
        <ThreadCard
          key={`${i.kind}-${i.id}`}
          kind={i.kind}
          author={i.author.name}
          at={i.createdAt}
          bg={i.kind === 'reply' ? TINT.reply : TINT.message}
          footer={<AttachmentList items={i.attachments} />}
        >
          {i.format === 'html' ? htmlText(i.body) : i.body}
        </ThreadCard>
      ))}
      {t.state !== 'closed' && (
        <Card withBorder>
          <Stack gap="sm">
            <Textarea
              label="Your reply"
              minRows={3}
              autosize
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              error={errors.at.body}
            />
            <Group justify="space-between" align="flex-start" gap="sm">
              <AttachmentPicker picker={picker} />
              <Button
                disabled={!body.trim()}
                loading={act.isPending && act.variables[0] === 'replies'}
                onClick={() => act.mutate(['replies', { body, attachments: toPayload(picker.files) }])}
              >
                Send
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
