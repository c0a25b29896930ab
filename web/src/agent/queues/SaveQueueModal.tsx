import {
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { State } from '../../../../src/contract/common.contract.ts';
import { api } from '../../ui/api.ts';
import { navigate } from '../../ui/path.ts';
import { ErrorAlert } from '../../ui/parts.tsx';
import type { Me } from '../AgentApp.tsx';
import { queuePath } from '../routes.ts';
import { options, useList } from '../ticket/data.ts';
import {
  COLUMN_KEYS,
  columnLabel,
  QUEUES_KEY,
  savedKey,
  SORTS,
  type ColumnKey,
  type Filters,
  type SavedQueue,
  type Sort,
} from './queueData.ts';

const STATES: { value: State; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Awaiting customer (pending)' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'closed', label: 'Closed' },
];

export interface QueueDraft {
  name: string;
  filters: Filters;
  columns: ColumnKey[];
  sort: Sort;
  shared: boolean;
}

const str = (v: string | number | undefined) => (v === undefined ? null : String(v));
/** A select's value back to an API reference: ids are numbers, "me"/"none" stay words. */
const ref = (v: string | null) => (v === null || v === '' ? undefined : /^\d+$/.test(v) ? Number(v) : v);

/**
 * "Save as queue" (a new queue from what is on screen) and "Edit queue":
 * name, the GET /tickets filters, columns, sort, and — for admins — shared.
 */
export function SaveQueueModal({
  me,
  opened,
  onClose,
  start,
  editing,
}: {
  me: Me;
  opened: boolean;
  onClose: () => void;
  start: QueueDraft;
  editing?: SavedQueue;
}) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(start);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const departments = useList<{ id: number; name: string }>('departments');
  const priorities = useList<{ id: number; name: string }>('priorities');
  const statuses = useList<{ id: number; name: string }>('statuses');
  const agents = useList<{ id: number; name: string }>('agents');
  const f = draft.filters;
  const setFilter = (k: keyof Filters, v: Filters[keyof Filters]) =>
    setDraft({ ...draft, filters: { ...f, [k]: v } });
  /** A filter naming one thing (an id, or `me` / `none`) as a clearable select. */
  const refSelect = (
    key: 'department' | 'priority' | 'status' | 'assignee',
    label: string,
    data: { value: string; label: string }[],
  ) => (
    <Select
      label={label}
      data={data}
      value={str(f[key])}
      onChange={(v) => setFilter(key, ref(v))}
      clearable
    />
  );

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const filters = Object.fromEntries(
      Object.entries(f).filter(
        ([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0),
      ),
    );
    const body = { ...draft, name: draft.name.trim(), filters, columns: orderColumns(draft.columns) };
    try {
      const saved = editing
        ? await api<SavedQueue>('PATCH', `/api/v1/saved-queues/${editing.id}`, body)
        : await api<SavedQueue>('POST', '/api/v1/saved-queues', body);
      await client.invalidateQueries({ queryKey: QUEUES_KEY });
      onClose();
      navigate(queuePath(savedKey(saved.id)));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!editing) return;
    if (!confirmDelete) return setConfirmDelete(true);
    try {
      await api('DELETE', `/api/v1/saved-queues/${editing.id}`);
      await client.invalidateQueries({ queryKey: QUEUES_KEY });
      onClose();
      navigate(queuePath('open'));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={editing ? 'Edit queue' : 'Save as queue'} size="lg">
      <form onSubmit={save}>
        <Stack gap="sm">
          <ErrorAlert error={error} />
          <TextInput
            label="Queue name"
            required
            maxLength={80}
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
          />
          <SimpleGrid cols={2} spacing="sm">
            <MultiSelect
              label="State"
              data={STATES}
              value={f.state ?? []}
              onChange={(v) => setFilter('state', v as State[])}
              clearable
            />
            {refSelect('department', 'Department', options(departments.data))}
            {refSelect('priority', 'Priority', options(priorities.data))}
            {refSelect('status', 'Status', options(statuses.data))}
            {refSelect('assignee', 'Assignee', [
              { value: 'me', label: 'Me' },
              { value: 'none', label: 'Nobody (unassigned)' },
              ...options(agents.data),
            ])}
            <TextInput
              label="Text"
              description="Number, subject, thread or requester"
              value={f.q ?? ''}
              onChange={(e) => setFilter('q', e.currentTarget.value || undefined)}
            />
          </SimpleGrid>
          <Checkbox.Group
            label="Columns"
            value={draft.columns}
            onChange={(v) => setDraft({ ...draft, columns: orderColumns(v as ColumnKey[]) })}
          >
            <Group gap="md" mt={4}>
              {COLUMN_KEYS.map((key) => (
                <Checkbox key={key} value={key} label={columnLabel(key)} disabled={key === 'number'} />
              ))}
            </Group>
          </Checkbox.Group>
          <Select
            label="Sort"
            data={Object.entries(SORTS).map(([value, label]) => ({ value, label }))}
            value={draft.sort}
            allowDeselect={false}
            onChange={(v) => v && setDraft({ ...draft, sort: v as Sort })}
          />
          {me.role === 'admin' && (
            <Switch
              label="Shared with every agent"
              checked={draft.shared}
              onChange={(e) => setDraft({ ...draft, shared: e.currentTarget.checked })}
            />
          )}
          <Group justify="space-between" mt="sm">
            {editing ? (
              <Button color="red" variant={confirmDelete ? 'filled' : 'subtle'} onClick={remove}>
                {confirmDelete ? 'Really delete?' : 'Delete queue'}
              </Button>
            ) : (
              <span />
            )}
            <Group>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} disabled={!draft.name.trim()}>
                Save queue
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Columns in table order, the number always included. */
const orderColumns = (picked: ColumnKey[]) => COLUMN_KEYS.filter((c) => c === 'number' || picked.includes(c));
