import { Button, Drawer, Group, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { PageHeading } from '../../ui/a11y.tsx';
import { api } from '../../ui/api.ts';
import { ErrorAlert } from '../../ui/parts.tsx';
import { SpecForm } from './SpecForm.tsx';
import { fieldsFor, labelOf, refPaths, type Refs, type ResourceSpec, type Row } from './model.ts';

// One page for every admin-managed resource: its table, a side panel to
// create or edit a row, and delete (or revoke) with the API's refusal shown.

export const listOf = (path: string, query = '') =>
  api<{ items: Row[]; nextCursor?: string | null }>('GET', `/api/v1/${path}${query}`);

/** The rows of every resource a page refers to, loaded side by side and cached across pages. */
export function useRefs(paths: string[]): Refs {
  const results = useQueries({
    queries: paths.map((path) => ({ queryKey: ['admin', path, ''], queryFn: () => listOf(path) })),
  });
  return new Map(paths.map((path, i) => [path, results[i]?.data?.items ?? []]));
}

/** After a write: every admin list, and the reference lists other screens keep, are read again. */
export function refreshAfterWrite(client: QueryClient): Promise<void> {
  return client.invalidateQueries({
    predicate: (q) => q.queryKey[0] !== 'queue' && q.queryKey[0] !== 'ticket',
  });
}

type Editing = { mode: 'create'; row: null } | { mode: 'edit'; row: Row };

export function ResourcePage({ spec }: { spec: ResourceSpec }) {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['admin', spec.path, spec.listQuery ?? ''],
    queryFn: () => listOf(spec.path, spec.listQuery),
  });
  const refs = useRefs(refPaths(spec));
  const [editing, setEditing] = useState<Editing | null>(null);
  const [removing, setRemoving] = useState<Row | null>(null);
  const [created, setCreated] = useState<ReactNode>(null);
  const nameOf = spec.nameOf ?? labelOf;
  const canEdit = spec.canEdit !== false;
  const rows = list.data?.items ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Group gap="xs" align="baseline">
            <PageHeading documentTitle={`${spec.title} · Admin`}>{spec.title}</PageHeading>
            {list.data && (
              <Text c="dimmed" size="sm" aria-label="Count">
                {rows.length}
                {list.data.nextCursor ? '+' : ''}
              </Text>
            )}
          </Group>
          <Text c="dimmed" size="sm" maw={640}>
            {spec.intro}
          </Text>
        </div>
        {spec.canCreate !== false && (
          <Button onClick={() => setEditing({ mode: 'create', row: null })}>New {spec.singular}</Button>
        )}
      </Group>
      <ErrorAlert error={list.error} />
      {list.isPending && <Text c="dimmed">Loading…</Text>}
      {list.data && rows.length === 0 && (
        <Text c="dimmed" py="lg" ta="center" bd="1px dashed var(--mantine-color-gray-4)" bdrs="md">
          No {spec.title.toLowerCase()} yet.
        </Text>
      )}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table
            striped
            highlightOnHover
            verticalSpacing="sm"
            aria-label={spec.title}
            withTableBorder
            bg="var(--mantine-color-body)"
          >
            <Table.Thead>
              <Table.Tr>
                {spec.columns.map((c) => (
                  <Table.Th key={c.label}>{c.label}</Table.Th>
                ))}
                {(canEdit || spec.remove) && (
                  <Table.Th w={1}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  {spec.columns.map((c) => (
                    <Table.Td key={c.label}>{c.render(row, refs)}</Table.Td>
                  ))}
                  {(canEdit || spec.remove) && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        {canEdit && (
                          <Button
                            size="compact-sm"
                            variant="default"
                            fw={500}
                            aria-label={`Edit ${nameOf(row)}`}
                            onClick={() => setEditing({ mode: 'edit', row })}
                          >
                            Edit
                          </Button>
                        )}
                        {spec.remove && (spec.canRemove?.(row) ?? true) && (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            fw={500}
                            aria-label={`${spec.remove === 'revoke' ? 'Revoke' : 'Delete'} ${nameOf(row)}`}
                            onClick={() => setRemoving(row)}
                          >
                            {spec.remove === 'revoke' ? 'Revoke' : 'Delete'}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.data?.nextCursor && (
        <Text size="sm" c="dimmed">
          Showing the newest {rows.length}.
        </Text>
      )}
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        position="right"
        size={560}
        title={
          <Text fw={600} size="lg">
            {editing?.mode === 'edit' ? `Edit ${nameOf(editing.row)}` : `New ${spec.singular}`}
          </Text>
        }
      >
        {editing && (
          <SpecForm
            key={editing.row?.id ?? 'new'}
            fields={fieldsFor(spec.fields, editing.mode)}
            row={editing.row}
            refs={refs}
            submitLabel={editing.mode === 'edit' ? 'Save changes' : `Create ${spec.singular}`}
            submit={(body) => {
              const final = spec.finish ? spec.finish(body, editing.mode) : body;
              return editing.mode === 'edit'
                ? api<Row>('PATCH', `/api/v1/${spec.path}/${editing.row.id}`, final)
                : api<Row>('POST', `/api/v1/${spec.path}`, final);
            }}
            onDone={async (result) => {
              setEditing(null);
              await refreshAfterWrite(client);
              if (editing.mode === 'create' && spec.created) setCreated(spec.created(result));
            }}
          />
        )}
      </Drawer>
      {removing && (
        <RemoveDialog spec={spec} row={removing} name={nameOf(removing)} onClose={() => setRemoving(null)} />
      )}
      <Modal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={`New ${spec.singular}`}
        size="lg"
      >
        {created}
      </Modal>
    </Stack>
  );
}

function RemoveDialog(p: { spec: ResourceSpec; row: Row; name: string; onClose: () => void }) {
  const client = useQueryClient();
  const revoke = p.spec.remove === 'revoke';
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/v1/${p.spec.path}/${p.row.id}`),
    onSuccess: async () => {
      p.onClose();
      await refreshAfterWrite(client);
    },
  });
  return (
    <Modal opened onClose={p.onClose} title={`${revoke ? 'Revoke' : 'Delete'} ${p.spec.singular}`}>
      <Stack>
        <Text>
          {revoke
            ? `Revoke “${p.name}”? Integrations using it stop working at once.`
            : `Delete “${p.name}”? This cannot be undone.`}
        </Text>
        <ErrorAlert error={remove.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onClose}>
            Cancel
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
            {revoke ? 'Revoke' : 'Delete'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
