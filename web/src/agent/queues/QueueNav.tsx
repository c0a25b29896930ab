import { Badge, Divider, NavLink, Text } from '@mantine/core';
import type { Me } from '../AgentApp.tsx';
import { navigate } from '../../ui/path.ts';
import { queuePath, type AgentRoute } from '../routes.ts';
import { countLabel, savedKey, useQueueList } from './queueData.ts';

/** The built-in queues in sidebar order (their names before the counts arrive). */
export const QUEUES = [
  ['mine', 'My tickets'],
  ['unassigned', 'Unassigned'],
  ['open', 'Open'],
  ['awaiting', 'Awaiting customer'],
  ['overdue', 'Overdue'],
  ['resolved', 'Resolved'],
  ['closed', 'Closed'],
] as const;

/**
 * The queue list on the left with counts; the active one is the queue on
 * screen (none while a ticket, search or another page is open).
 */
export function QueueNav({ route }: { me: Me; route: AgentRoute }) {
  const list = useQueueList();
  const onScreen = route.page === 'queue' ? route.queue : null;
  const cap = list.data?.cap ?? 1000;
  const counts = new Map(list.data?.builtin.map((q) => [q.key, q]));
  const saved = list.data?.saved ?? [];
  return (
    <>
      {QUEUES.map(([key, label]) => {
        const c = counts.get(key);
        return (
          <NavLink
            key={key}
            component="button"
            label={label}
            active={onScreen === key}
            aria-current={onScreen === key ? 'page' : undefined}
            onClick={() => navigate(queuePath(key))}
            rightSection={
              c && <QueueCount text={countLabel(c, cap)} alert={key === 'overdue' && c.count > 0} />
            }
          />
        );
      })}
      <Divider my="xs" />
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" py={4} id="saved-queues-heading">
        Saved queues
      </Text>
      <div role="group" aria-labelledby="saved-queues-heading">
        {saved.map((q) => (
          <NavLink
            key={q.id}
            component="button"
            label={q.name}
            description={q.shared ? 'Shared' : undefined}
            active={onScreen === savedKey(q.id)}
            aria-current={onScreen === savedKey(q.id) ? 'page' : undefined}
            onClick={() => navigate(queuePath(savedKey(q.id)))}
            rightSection={<QueueCount text={countLabel(q, cap)} />}
          />
        ))}
        {list.data && saved.length === 0 && (
          <Text size="xs" c="dimmed" px="sm">
            None yet: use “Save as queue” above a list.
          </Text>
        )}
      </div>
    </>
  );
}

function QueueCount({ text, alert = false }: { text: string; alert?: boolean }) {
  return (
    <Badge
      size="sm"
      variant={alert ? 'filled' : 'light'}
      color={alert ? 'red' : 'gray'}
      aria-label={`${text} tickets`}
    >
      {text}
    </Badge>
  );
}
