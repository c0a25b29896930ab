import { Button, Group, Menu, Modal, Paper, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { BulkOut } from '../../../../src/contract/queues.contract.ts';
import type { Named } from '../ticket/types.ts';
import { api } from '../../ui/api.ts';
import type { Me } from '../AgentApp.tsx';
import { useList } from '../ticket/data.ts';

/** One ticket's outcome: the server's answer, or the whole request failing (then no code, only why). */
export type BulkResult = Pick<BulkOut['results'][number], 'number' | 'ok'> & { error?: { message: string } };

type Args = Record<string, unknown> & { action: string };

/**
 * Acts on the selected tickets with one POST /tickets/bulk. The server runs
 * each ticket on its own, so the answer says per ticket what happened.
 * Always the same height, so selecting a row never moves the table.
 */
export function BulkBar({
  me,
  selected,
  onDone,
}: {
  me: Me;
  selected: string[];
  onDone: (results: BulkResult[], what: string) => void;
}) {
  const agents = useList<Named & { isActive: boolean }>('agents');
  const departments = useList<Named>('departments');
  const statuses = useList<Named & { state: string }>('statuses');
  const priorities = useList<Named>('priorities');
  const [busy, setBusy] = useState(false);
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState('');
  const none = selected.length === 0;

  async function run(args: Args, what: string) {
    setBusy(true);
    try {
      const { results } = await api<BulkOut>('POST', '/api/v1/tickets/bulk', {
        ...args,
        numbers: selected,
      });
      onDone(results, what);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      onDone(
        selected.map((number) => ({ number, ok: false, error: { message } })),
        what,
      );
    } finally {
      setBusy(false);
    }
  }

  const menu = (label: string, items: { key: string | number; label: string; run: () => void }[]) => (
    <Menu position="bottom-start" withinPortal>
      <Menu.Target>
        <Button size="xs" variant="default" disabled={none || busy}>
          {label}
        </Button>
      </Menu.Target>
      <Menu.Dropdown mah={320} style={{ overflowY: 'auto' }}>
        {items.map((i) => (
          <Menu.Item key={i.key} onClick={i.run}>
            {i.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );

  return (
    <Paper withBorder px="sm" py={6} mb="sm" role="toolbar" aria-label="Bulk actions">
      <Group gap="xs" wrap="nowrap" h={30}>
        <Text size="sm" fw={600} w={110} aria-live="polite">
          {none ? 'None selected' : `${selected.length} selected`}
        </Text>
        {me.id !== null && (
          <Button
            size="xs"
            variant="light"
            disabled={none || busy}
            onClick={() => run({ action: 'assign', assignee: 'me' }, 'Assigned to you')}
          >
            Assign to me
          </Button>
        )}
        {menu('Assign', [
          ...(agents.data ?? [])
            .filter((a) => a.isActive)
            .map((a) => ({
              key: a.id,
              label: a.name,
              run: () => run({ action: 'assign', assignee: a.id }, `Assigned to ${a.name}`),
            })),
          {
            key: 'none',
            label: 'Nobody (unassign)',
            run: () => run({ action: 'assign', assignee: null }, 'Unassigned'),
          },
        ])}
        {menu(
          'Transfer',
          (departments.data ?? []).map((d) => ({
            key: d.id,
            label: d.name,
            run: () => run({ action: 'transfer', department: d.id }, `Transferred to ${d.name}`),
          })),
        )}
        {menu(
          'Status',
          (statuses.data ?? [])
            .filter((s) => s.state !== 'closed')
            .map((s) => ({
              key: s.id,
              label: s.name,
              run: () => run({ action: 'status', status: s.id }, `Status set to ${s.name}`),
            })),
        )}
        {menu(
          'Priority',
          (priorities.data ?? []).map((p) => ({
            key: p.id,
            label: p.name,
            run: () => run({ action: 'priority', priority: p.id }, `Priority set to ${p.name}`),
          })),
        )}
        <Button
          size="xs"
          variant="light"
          color="red"
          disabled={none || busy}
          onClick={() => setClosing(true)}
        >
          Close…
        </Button>
      </Group>
      <Modal opened={closing} onClose={() => setClosing(false)} title={`Close ${selected.length} tickets`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setClosing(false);
            void run({ action: 'close', reason: reason.trim() }, 'Closed');
            setReason('');
          }}
        >
          <Textarea
            label="Reason"
            description="Kept in each ticket's history."
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={() => setClosing(false)}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!reason.trim()}>
              Close tickets
            </Button>
          </Group>
        </form>
      </Modal>
    </Paper>
  );
}
