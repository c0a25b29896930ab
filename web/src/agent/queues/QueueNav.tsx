import { Badge, Divider, NavLink, Text } from '@mantine/core';
import type { Me } from '../AgentApp.tsx';
import { routeOnClick } from '../../ui/a11y.tsx';
import { queuePath, type AgentRoute } from '../routes.ts';
import { countLabel, QUEUE_FILTERS, savedKey, useQueueList } from './queueData.ts';

/**
 * The queue list on the left with counts; the active one is the queue on
 * screen (none while a ticket, search or another page is open). The built-in
 * queues and their names come from the API; until they do, blank rows of the
 * same height hold their place.
 */
export function QueueNav({ route }: { me: Me; route: AgentRoute }) {
  const list = useQueueList();
  const onScreen = route.page === 'queue' ? route.queue : null;
  const cap = list.data?.cap ?? 1000;
  const saved = list.data?.saved ?? [];
  return (
    <>
      <NavLink
        component="a"
        href="/agent/dashboard"
        label="Dashboard"
        active={route.page === 'dashboard'}
        aria-current={route.page === 'dashboard' ? 'page' : undefined}
        onClick={routeOnClick('/agent/dashboard')}
      />
      <NavLink
        component="a"
        href="/agent/reports/volume"
        label="Reports"
        active={route.page === 'reports'}
        aria-current={route.page === 'reports' ? 'page' : undefined}
        onClick={routeOnClick('/agent/reports/volume')}
      />
      <Divider my="xs" />
      {list.data
        ? list.data.builtin.map((q) => (
            <NavLink
              key={q.key}
              component="a"
              href={queuePath(q.key)}
              label={q.name}
              active={onScreen === q.key}
              aria-current={onScreen === q.key ? 'page' : undefined}
              onClick={routeOnClick(queuePath(q.key))}
              rightSection={
                <QueueCount text={countLabel(q, cap)} alert={q.key === 'overdue' && q.count > 0} />
              }
            />
          ))
        : Object.keys(QUEUE_FILTERS).map((key) => (
            <NavLink key={key} component="div" label={'\u00a0'} aria-hidden disabled />
          ))}
      <Divider my="xs" />
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" py={4} id="saved-queues-heading">
        Saved queues
      </Text>
      <div role="group" aria-labelledby="saved-queues-heading">
        {saved.map((q) => (
          <NavLink
            key={q.id}
            component="a"
            href={queuePath(savedKey(q.id))}
            label={q.name}
            description={q.shared ? 'Shared' : undefined}
            active={onScreen === savedKey(q.id)}
            aria-current={onScreen === savedKey(q.id) ? 'page' : undefined}
            onClick={routeOnClick(queuePath(savedKey(q.id)))}
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
