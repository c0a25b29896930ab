import { Badge } from '@mantine/core';

// The portal names a ticket's status by what it means for the customer (its
// state), not by the desk's own status names ("Awaiting customer", "In
// progress"), which are written for agents.

/** A dark orange that keeps white text (and itself on white) above 4.5:1 (WCAG AA); Mantine's orange-9 is 4.3:1. */
export const AWAITING_COLOR = '#b03d00';
/** The same signal as text or a bar on the page's background: a shade per colour scheme (ui/a11y.css). */
export const AWAITING_TEXT = 'var(--dl-awaiting-text)';

const WORDS: Record<string, { label: string; color: string }> = {
  open: { label: 'We’re working on it', color: 'blue' },
  pending: { label: 'Waiting for your reply', color: AWAITING_COLOR },
  resolved: { label: 'Resolved', color: 'green' },
  closed: { label: 'Closed', color: 'gray' },
};

/** The customer's words for a ticket's state. */
export const customerStatus = (state: string) => WORDS[state]?.label ?? WORDS.open!.label;

/** Tickets that wait for the customer: highlighted in My tickets. */
export const awaitsCustomer = (state: string) => state === 'pending';

export function StatusBadge({ state, labelled }: { state: string; labelled?: boolean }) {
  const label = customerStatus(state);
  return (
    <Badge
      variant={awaitsCustomer(state) ? 'filled' : 'light'}
      tt="none"
      color={WORDS[state]?.color ?? 'blue'}
      style={{ flexShrink: 0, minWidth: 'max-content' }}
      {...(labelled ? { 'aria-label': `Status: ${label}` } : {})}
    >
      {label}
    </Badge>
  );
}
