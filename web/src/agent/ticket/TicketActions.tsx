import { Button, Card, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../ui/api.ts';
import { passNotice } from '../../ui/notice.tsx';
import { ErrorAlert } from '../../ui/parts.tsx';
import { navigate } from '../../ui/path.ts';
import type { Me } from '../AgentApp.tsx';
import { options, useList } from './data.ts';
import type { AgentRow, Named, Priority, StatusRow, TicketDetail } from './types.ts';

export type RunAction = (path: string, payload: object) => void;

/** One POST /tickets/:number/<action>; the view refreshes after it. */
export function useTicketAction(number: string, onDone: () => void) {
  return useMutation({
    mutationFn: ([path, payload]: [string, object]) =>
      api('POST', `/api/v1/tickets/${number}/${path}`, payload),
    onSuccess: onDone,
  });
}

const isOpen = (t: TicketDetail) => t.state === 'open' || t.state === 'pending';

/** The buttons over the thread: assign to me, resolve, close (with a reason unless resolved), reopen. */
export function ActionButtons({
  t,
  me,
  run,
  busy,
  onChanged,
}: {
  t: TicketDetail;
  me: Me;
  run: RunAction;
  busy: boolean;
  onChanged: () => void;
}) {
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  // The dialog's own request: a refusal is shown inside it, and it stays open.
  const closer = useTicketAction(t.number, onChanged);
  // Closing a resolved ticket is the normal end of its story; unresolved work must say why.
  const needsReason = t.state !== 'resolved';
  const dismiss = () => {
    setClosing(false);
    setMissing(false);
    closer.reset();
  };
  const close = () => {
    if (needsReason && !reason.trim()) return setMissing(true);
    closer.mutate(['close', reason.trim() ? { reason: reason.trim() } : {}], {
      onSuccess: () => {
        dismiss();
        setReason('');
      },
    });
  };
  return (
    <Group gap="xs">
      {t.assignee?.id !== me.id && t.state !== 'closed' && (
        <Button variant="light" loading={busy} onClick={() => run('assign', { assignee: me.id })}>
          Assign to me
        </Button>
      )}
      {isOpen(t) && (
        <Button color="green" onClick={() => run('resolve', {})}>
          Resolve
        </Button>
      )}
      {t.state !== 'closed' && (
        <Button variant="default" onClick={() => setClosing(true)}>
          Close…
        </Button>
      )}
      {!isOpen(t) && (
        <Button variant="light" color="orange" onClick={() => run('reopen', {})}>
          Reopen
        </Button>
      )}
      <Modal opened={closing} onClose={dismiss} title={`Close #${t.number}`}>
        <Stack>
          <ErrorAlert error={closer.error} />
          <Textarea
            label={needsReason ? 'Reason for closing' : 'Reason for closing (optional)'}
            description={
              needsReason
                ? 'This ticket was not resolved, so say why it is closed. Agents see it in the history; the customer does not.'
                : 'Agents see it in the history; the customer does not.'
            }
            required={needsReason}
            minRows={3}
            autosize
            data-autofocus
            value={reason}
            error={missing ? 'Say why this ticket is closed: it was not resolved.' : undefined}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setMissing(false);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={dismiss}>
              Cancel
            </Button>
            <Button color="red" loading={closer.isPending} onClick={close}>
              Close ticket
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}

/** Selects that re-plan the ticket: agent, team, department, priority, status, help topic. */
export function ActionPanel({
  t,
  me,
  run,
  leaveTo,
}: {
  t: TicketDetail;
  me: Me;
  run: RunAction;
  /** Where to go when the ticket moves out of the agent's reach. */
  leaveTo: string;
}) {
  const [moving, setMoving] = useState<{ id: number; name: string } | null>(null);
  const agents = useList<AgentRow>('agents');
  const teams = useList<Named>('teams');
  const departments = useList<Named>('departments');
  const priorities = useList<Priority>('priorities');
  const statuses = useList<StatusRow>('statuses');
  const topics = useList<Named>('help-topics');
  // Only agents who may work the ticket's department can be handed it.
  const workers = (agents.data ?? []).filter(
    (a) => a.isActive && (a.role === 'admin' || a.departments.some((d) => d.id === t.departmentId)),
  );
  const id = (v: string | null) => (v === null ? null : Number(v));
  const byOrder = [...(statuses.data ?? [])].sort((a, b) => a.sort - b.sort);
  return (
    <Card withBorder p="sm" aria-label="Ticket actions">
      <Stack gap="xs">
        <Pick
          label="Assign agent"
          placeholder="Unassigned"
          value={t.assignee?.id ?? null}
          data={options(workers)}
          clearable
          onPick={(v) => run('assign', { assignee: id(v) })}
        />
        <Pick
          label="Assign team"
          placeholder="No team"
          value={t.teamId}
          data={options(teams.data)}
          clearable
          onPick={(v) => run('assign', { team: id(v) })}
        />
        <Pick
          label="Transfer to department"
          value={t.departmentId}
          data={options(departments.data)}
          onPick={(v) => {
            const to = (departments.data ?? []).find((d) => String(d.id) === v);
            if (!to) return;
            if (keepsAccess(me, t, to.id)) run('transfer', { department: to.id });
            else setMoving(to);
          }}
        />
        <Pick
          label="Change priority"
          value={t.priorityId}
          data={options(priorities.data)}
          onPick={(v) => run('priority', { priority: id(v) })}
        />
        <Pick
          label="Change status"
          value={t.statusId}
          data={options(byOrder)}
          onPick={(v) => run('status', { status: id(v) })}
        />
        <Pick
          label="Change help topic"
          placeholder="No help topic"
          value={t.helpTopicId}
          data={options(topics.data)}
          clearable
          onPick={(v) => run('help-topic', { helpTopic: id(v) })}
        />
      </Stack>
      {moving && <TransferAway t={t} to={moving} leaveTo={leaveTo} onCancel={() => setMoving(null)} />}
    </Card>
  );
}

/**
 * Whether the agent still sees the ticket once it is in `departmentId`: as
 * the server decides it (tickets.policy.ts `can`: admins, the department's
 * view permission, the ticket's team; an assignee without one of these loses it).
 */
export const keepsAccess = (me: Me, t: TicketDetail, departmentId: number): boolean =>
  me.role === 'admin' ||
  me.departments.some((d) => d.id === departmentId && d.permissions.includes('view')) ||
  (t.teamId !== null && me.teams.includes(t.teamId));

/** A transfer that takes the ticket out of the agent's reach: asked first, then back to the queue with a notice. */
function TransferAway(p: {
  t: TicketDetail;
  to: { id: number; name: string };
  leaveTo: string;
  onCancel: () => void;
}) {
  const mover = useTicketAction(p.t.number, () => {
    passNotice({
      title: 'Ticket moved',
      text: `#${p.t.number} is now with ${p.to.name}. You no longer have access to it.`,
    });
    navigate(p.leaveTo);
  });
  return (
    <Modal opened onClose={p.onCancel} title={`Transfer #${p.t.number} to ${p.to.name}?`}>
      <Stack>
        <ErrorAlert error={mover.error} />
        <Text>
          You do not work in {p.to.name}: once the ticket moves there, you will no longer see it or its
          replies.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onCancel} data-autofocus>
            Cancel
          </Button>
          <Button
            loading={mover.isPending}
            onClick={() => mover.mutate(['transfer', { department: p.to.id }])}
          >
            Transfer
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A select showing the ticket's current value; choosing another one acts at once. */
function Pick(p: {
  label: string;
  value: number | null;
  data: { value: string; label: string }[];
  onPick: (value: string | null) => void;
  clearable?: boolean;
  placeholder?: string;
}) {
  const current = p.value === null ? null : String(p.value);
  return (
    <Select
      size="xs"
      label={p.label}
      data={p.data}
      value={current}
      onChange={(v) => {
        if (v !== current && (v !== null || p.clearable)) p.onPick(v);
      }}
      clearable={p.clearable ?? false}
      {...(p.placeholder ? { placeholder: p.placeholder } : {})}
      allowDeselect={false}
      searchable
      nothingFoundMessage="Nothing matches"
    />
  );
}
