import { Anchor, Badge, Checkbox, Group, Table, Text, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';
import { navigate } from '../../ui/path.ts';
import { When } from '../../ui/parts.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useList } from '../ticket/data.ts';
import { ticketPath } from '../routes.ts';
import { COLUMN_SORTS, columnLabel, wraps, type ColumnKey, type Sort, type TicketRow } from './queueData.ts';

interface Props {
  title: string;
  rows: TicketRow[];
  columns: ColumnKey[];
  /** null while the queue's own order is not known yet. */
  sort: Sort | null;
  onSort: (sort: Sort) => void;
  /** May the list be read in this order (an indexed one, or any while the list is small)? */
  canSort: (sort: Sort) => boolean;
  selected: ReadonlySet<string>;
  onSelect: (numbers: string[], on: boolean) => void;
  now: number;
}

/**
 * The queue's tickets. The number column always comes first and carries the
 * row's checkbox; headers of sortable columns switch the order.
 */
export function QueueTable({ title, rows, columns, sort, onSort, canSort, selected, onSelect, now }: Props) {
  const priorities = useList<{ id: number; color: string }>('priorities');
  const colour = new Map(priorities.data?.map((p) => [p.id, p.color]));
  const shown: ColumnKey[] = ['number', ...columns.filter((c) => c !== 'number')];
  const picked = rows.filter((r) => selected.has(r.number)).length;
  const cell = (t: TicketRow, c: ColumnKey): ReactNode => {
    switch (c) {
      case 'number':
        return (
          <Group gap="xs" wrap="nowrap">
            <Checkbox
              size="xs"
              aria-label={`Select ticket ${t.number}`}
              checked={selected.has(t.number)}
              onChange={(e) => onSelect([t.number], e.currentTarget.checked)}
            />
            {t.number}
          </Group>
        );
      case 'subject':
        return (
          <>
            <Anchor
              fz="sm"
              href={ticketPath(t.number)}
              onClick={(e) => {
                e.preventDefault();
                navigate(ticketPath(t.number));
              }}
            >
              {t.subject}
            </Anchor>
            <Turn t={t} />
          </>
        );
      case 'requester':
        return <span title={t.requester.email ?? undefined}>{t.requester.name}</span>;
      case 'priority':
        return (
          <Badge
            // Admins pick any colour: it marks the dot, the text keeps the page's contrast.
            color={colour.get(t.priorityId) ?? 'gray'}
            variant="dot"
            tt="none"
            style={{ minWidth: 'max-content' }}
          >
            {t.priority}
          </Badge>
        );
      case 'status':
        return t.status;
      case 'department':
        return t.department;
      case 'assignee':
        return (
          t.assignee?.name ?? (
            <Text span fz="sm" c="dimmed">
              —
            </Text>
          )
        );
      case 'updated':
        return <When iso={t.updatedAt} now={now} />;
      case 'created':
        return <When iso={t.createdAt} now={now} />;
      case 'due':
        return <Due iso={t.slaDueAt} now={now} active={t.state === 'open' || t.state === 'pending'} />;
    }
  };
  return (
    <Table striped highlightOnHover aria-label={`${title} tickets`} verticalSpacing={6} fz="sm">
      <Table.Thead>
        <Table.Tr>
          {shown.map((c) => (
            <Table.Th key={c} aria-sort={ariaSort(c, sort)} style={{ whiteSpace: 'nowrap' }}>
              {c === 'number' ? (
                <Group gap="xs" wrap="nowrap">
                  <Checkbox
                    size="xs"
                    aria-label="Select all on this page"
                    checked={rows.length > 0 && picked === rows.length}
                    indeterminate={picked > 0 && picked < rows.length}
                    onChange={(e) =>
                      onSelect(
                        rows.map((r) => r.number),
                        e.currentTarget.checked,
                      )
                    }
                  />
                  {columnLabel('number')}
                </Group>
              ) : (
                <Header column={c} sort={sort} onSort={onSort} canSort={canSort} />
              )}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((t) => (
          <Table.Tr key={t.id} bg={selected.has(t.number) ? 'var(--mantine-primary-color-light)' : undefined}>
            {shown.map((c) => (
              <Table.Td key={c} style={wraps(c) ? undefined : { whiteSpace: 'nowrap' }}>
                {cell(t, c)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Header({
  column,
  sort,
  onSort,
  canSort,
}: {
  column: ColumnKey;
  sort: Sort | null;
  onSort: (s: Sort) => void;
  canSort: (s: Sort) => boolean;
}) {
  const sorts = COLUMN_SORTS[column]?.filter(canSort);
  if (!sorts?.length) {
    const why = COLUMN_SORTS[column]
      ? 'Sorting by this column needs a list of at most 1,000 tickets'
      : undefined;
    return <span title={why}>{columnLabel(column)}</span>;
  }
  const at = sort ? sorts.indexOf(sort) : -1;
  const next = sorts[(at + 1) % sorts.length]!;
  const arrow = at < 0 ? '↕' : descending(sorts[at]!) ? '↓' : '↑';
  return (
    <UnstyledButton
      onClick={() => onSort(next)}
      aria-label={`Sort by ${columnLabel(column)}`}
      fw={700}
      fz="sm"
      style={{ whiteSpace: 'nowrap' }}
    >
      {columnLabel(column)}{' '}
      <Text span c={at < 0 ? 'dimmed' : undefined} aria-hidden>
        {arrow}
      </Text>
    </UnstyledButton>
  );
}

/** Priority runs highest first; `-x` is the descending order of x. */
const descending = (sort: Sort) => sort.startsWith('-') || sort === 'priority';

function ariaSort(column: ColumnKey, sort: Sort | null): 'ascending' | 'descending' | undefined {
  if (!sort || !COLUMN_SORTS[column]?.includes(sort)) return undefined;
  return descending(sort) ? 'descending' : 'ascending';
}

/** The SLA due time, red once past while the ticket still runs. */
function Due({ iso, now, active }: { iso: string | null; now: number; active: boolean }) {
  if (!iso)
    return (
      <Text span fz="sm" c="dimmed">
        —
      </Text>
    );
  const late = active && Date.parse(iso) < now;
  return (
    <Text
      span
      fz="sm"
      c={late ? 'red' : undefined}
      fw={late ? 600 : undefined}
      title={late ? 'Past due' : undefined}
    >
      <When iso={iso} />
    </Text>
  );
}

/** Who the ticket waits on, from who wrote last: new, or the customer wrote after our reply. */
function Turn({ t }: { t: TicketRow }) {
  if (t.lastSpeaker !== 'customer' || (t.state !== 'open' && t.state !== 'pending')) return null;
  const label = t.lastResponseAt === null ? 'New' : 'Customer replied';
  return (
    <Badge
      ml={6}
      size="xs"
      variant="outline"
      color={label === 'New' ? 'var(--dl-turn-new)' : 'var(--dl-turn-replied)'}
      tt="none"
      title={`The customer wrote last${t.lastMessageAt ? `: ${formatDateTime(t.lastMessageAt)}` : ''}`}
      data-turn={label}
    >
      {label}
    </Badge>
  );
}
