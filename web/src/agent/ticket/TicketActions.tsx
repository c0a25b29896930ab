import { Button, Card, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../ui/api.ts';
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
}: {
  t: TicketDetail;
  me: Me;
  run: RunAction;
  busy: boolean;
}) {
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState('');
  // Closing a resolved ticket is the normal end of its story; unresolved work must say why.
  const needsReason = t.state !== 'resolved';
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
      <Modal opened={closing} onClose={() => setClosing(false)} title={`Close #${t.number}`}>
        <Stack>
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
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setClosing(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              disabled={needsReason && !reason.trim()}
              onClick={() => {
                run('close', reason.trim() ? { reason: reason.trim() } : {});
                setClosing(false);
                setReason('');
              }}
            >
              Close ticket
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}

/** Selects that re-plan the ticket: agent, team, department, priority, status, help topic. */
export function ActionPanel({ t, run }: { t: TicketDetail; run: RunAction }) {
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
          onPick={(v) => run('transfer', { department: id(v) })}
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
    </Card>
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
