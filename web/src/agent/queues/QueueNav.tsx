import { NavLink } from '@mantine/core';
import type { Me } from '../AgentApp.tsx';
import { navigate } from '../../ui/path.ts';
import { queuePath, type AgentRoute } from '../routes.ts';

export const QUEUES = [
  ['mine', 'My tickets'],
  ['unassigned', 'Unassigned'],
  ['open', 'Open'],
  ['awaiting', 'Awaiting customer'],
  ['resolved', 'Resolved'],
  ['closed', 'Closed'],
] as const;

/** The queue list on the left; the active one is the queue on screen (none while a ticket is open). */
export function QueueNav({ route }: { me: Me; route: AgentRoute }) {
  return (
    <>
      {QUEUES.map(([q, label]) => (
        <NavLink
          key={q}
          component="button"
          label={label}
          active={route.page === 'queue' && route.queue === q}
          onClick={() => navigate(queuePath(q))}
        />
      ))}
    </>
  );
}
