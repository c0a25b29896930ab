import { Button, Group, Skeleton, Text } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeading } from '../../ui/a11y.tsx';
import { api } from '../../ui/api.ts';
import { takePassedNotice, Toast, type NoticeText } from '../../ui/notice.tsx';
import { ErrorAlert } from '../../ui/parts.tsx';
import type { Me } from '../AgentApp.tsx';
import type { AgentRoute } from '../routes.ts';
import { BulkBar, type BulkResult } from './BulkBar.tsx';
import {
  DEFAULT_COLUMNS,
  filterParams,
  listUrl,
  QUEUE_FILTERS,
  QUEUES_KEY,
  useQueueList,
  type ColumnKey,
  type Filters,
  type SavedQueue,
  type Sort,
  type TicketPage,
} from './queueData.ts';
import { QueueTable } from './QueueTable.tsx';
import { SaveQueueModal, type QueueDraft } from './SaveQueueModal.tsx';

/** What a queue screen lists: a built-in queue, a saved queue, or a search. */
interface Spec {
  id: string;
  title: string;
  params: URLSearchParams;
  filters: Filters;
  columns: ColumnKey[];
  /** The order asked for; null: the queue's own (the server's default). */
  sort: Sort | null;
  /** The queue's own order, to mark its column (known once the queue list is in). */
  ownSort?: Sort | undefined;
  /** The orders an index serves for this list. */
  indexed: Sort[];
  /** The list is known to hold at most the count cap: every order is offered. */
  small: boolean;
  saved?: SavedQueue;
}

type Route = Extract<AgentRoute, { page: 'queue' | 'search' }>;

/** A queue, a saved queue or search results, shown as one table. */
export function QueuePage({ me, route }: { me: Me; route: Route }) {
  const list = useQueueList();
  const savedId = route.page === 'queue' ? /^saved-(\d+)$/.exec(route.queue)?.[1] : undefined;
  const builtin = route.page === 'queue' ? list.data?.builtin.find((q) => q.key === route.queue) : undefined;
  if (savedId !== undefined) {
    const saved = list.data?.saved.find((q) => q.id === Number(savedId));
    if (!saved) {
      if (list.error) return <ErrorAlert error={list.error} />;
      return list.data ? <ErrorAlert error="This saved queue no longer exists." /> : <Skeleton h={200} />;
    }
    const spec: Spec = {
      id: `saved-${saved.id}-${JSON.stringify([saved.name, saved.filters, saved.columns, saved.sort])}`,
      title: saved.name,
      params: filterParams(saved.filters),
      filters: saved.filters,
      columns: saved.columns,
      sort: saved.sort,
      indexed: list.data?.filterSorts ?? [],
      small: !saved.capped,
      saved,
    };
    return <QueueView key={spec.id} me={me} spec={spec} />;
  }
  const spec: Spec =
    route.page === 'search'
      ? {
          id: `search-${route.q}`,
          title: `Search: ${route.q}`,
          params: new URLSearchParams({ q: route.q }),
          filters: { q: route.q },
          columns: DEFAULT_COLUMNS,
          sort: '-updated',
          indexed: list.data?.filterSorts ?? [],
          // A search is unbounded in principle; the server refuses what it cannot sort.
          small: true,
        }
      : {
          id: `queue-${route.queue}`,
          // Named by the API; blank (of the same height) while the list loads.
          title: builtin?.name ?? (list.isError ? route.queue : ''),
          params: new URLSearchParams({ queue: route.queue }),
          filters: QUEUE_FILTERS[route.queue] ?? {},
          columns: DEFAULT_COLUMNS,
          sort: null,
          ownSort: builtin?.sort,
          indexed: builtin?.sorts ?? [],
          small: builtin?.capped === false,
        };
  return <QueueView key={spec.id} me={me} spec={spec} />;
}

/** One list: sort, cursor paging (a stack of cursors for "Previous"), selection and bulk actions. */
function QueueView({ me, spec }: { me: Me; spec: Spec }) {
  const client = useQueryClient();
  const [chosen, setSort] = useState<Sort | null>(null);
  const asked = chosen ?? spec.sort;
  const sort = asked ?? spec.ownSort ?? null;
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // A bulk action's outcome, or what the previous page passed on (a ticket transferred away).
  const [outcome, setOutcome] = useState<NoticeText | null>(takePassedNotice);
  const [modal, setModal] = useState<'save' | 'edit' | null>(null);
  const url = listUrl(spec.params, asked, cursors[cursors.length - 1]);
  const page = useQuery({
    queryKey: ['queue', url],
    queryFn: () => api<TicketPage>('GET', url),
    placeholderData: keepPreviousData,
  });
  const rows = page.data?.items ?? [];
  const pageNo = cursors.length + 1;

  const turn = (next: string[]) => {
    setCursors(next);
    setSelected(new Set());
  };
  const select = (numbers: string[], on: boolean) => {
    const next = new Set(selected);
    for (const n of numbers)
      if (on) next.add(n);
      else next.delete(n);
    setSelected(next);
  };
  const done = (results: BulkResult[], what: string) => {
    const failed = results.filter((r) => !r.ok);
    const okCount = results.length - failed.length;
    const text = failed.length
      ? `${what}: ${okCount} of ${results.length} tickets. Not changed: ${failed
          .map((r) => `#${r.number} (${r.error?.message ?? 'refused'})`)
          .join('; ')}`
      : `${what}: ${okCount} ${okCount === 1 ? 'ticket' : 'tickets'}.`;
    setOutcome({
      title: failed.length ? 'Some tickets were not changed' : 'Done',
      label: 'Bulk action result',
      text,
      failed: failed.length > 0,
    });
    // Keep only the refused ones selected, so they can be retried or looked at.
    setSelected(new Set(failed.map((r) => r.number)));
    void client.invalidateQueries({ queryKey: ['queue'] });
    void client.invalidateQueries({ queryKey: QUEUES_KEY });
  };
  const draft: QueueDraft = spec.saved
    ? {
        name: spec.saved.name,
        filters: spec.saved.filters,
        columns: spec.saved.columns,
        sort: sort ?? spec.saved.sort,
        shared: spec.saved.shared,
      }
    : { name: '', filters: spec.filters, columns: spec.columns, sort: sort ?? '-updated', shared: false };

  return (
    <>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <PageHeading documentTitle={spec.title ? `${spec.title} · Queues` : undefined}>
          {spec.title || '\u00a0'}
        </PageHeading>
        <Group gap="xs">
          {spec.saved?.editable && (
            <Button size="xs" variant="default" onClick={() => setModal('edit')}>
              Edit queue
            </Button>
          )}
          <Button size="xs" variant="light" onClick={() => setModal('save')}>
            Save as queue
          </Button>
        </Group>
      </Group>
      <BulkBar me={me} selected={[...selected]} onDone={done} />
      <Toast notice={outcome} onClose={() => setOutcome(null)} />
      <ErrorAlert error={page.error} />
      {page.isPending && <Skeleton h={240} />}
      {page.data && rows.length === 0 && (
        <Text c="dimmed" py="lg">
          {pageNo > 1 ? 'No more tickets.' : 'No tickets here.'}
        </Text>
      )}
      {rows.length > 0 && (
        <QueueTable
          title={spec.title}
          rows={rows}
          columns={spec.columns}
          sort={sort}
          canSort={(s) => spec.small || spec.indexed.includes(s)}
          onSort={(s) => {
            setSort(s);
            turn([]);
          }}
          selected={selected}
          onSelect={select}
          now={Date.now()}
        />
      )}
      {(pageNo > 1 || page.data?.nextCursor) && (
        <Group justify="space-between" mt="sm">
          <Button
            size="xs"
            variant="default"
            disabled={pageNo === 1}
            onClick={() => turn(cursors.slice(0, -1))}
          >
            Previous
          </Button>
          <Text size="sm" c="dimmed">
            Page {pageNo}
          </Text>
          <Button
            size="xs"
            variant="default"
            disabled={!page.data?.nextCursor || page.isPlaceholderData}
            onClick={() => page.data?.nextCursor && turn([...cursors, page.data.nextCursor])}
          >
            Next page
          </Button>
        </Group>
      )}
      {modal && (
        <SaveQueueModal
          me={me}
          opened
          onClose={() => setModal(null)}
          start={modal === 'edit' ? draft : { ...draft, name: '', shared: false }}
          {...(modal === 'edit' && spec.saved ? { editing: spec.saved } : {})}
        />
      )}
    </>
  );
}
