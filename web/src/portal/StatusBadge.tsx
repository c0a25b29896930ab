import { Badge } from '@mantine/core';

/** The ticket's status name, coloured by where it stands for the customer. */
const COLORS: Record<string, string> = { open: 'blue', pending: 'yellow', resolved: 'green', closed: 'gray' };

export function StatusBadge({
  state,
  status,
  labelled,
}: {
  state: string;
  status: string;
  labelled?: boolean;
}) {
  return (
    <Badge
      variant="light"
      tt="none"
      color={COLORS[state] ?? 'blue'}
      style={{ flexShrink: 0, minWidth: 'max-content' }}
      {...(labelled ? { 'aria-label': `Status: ${status}` } : {})}
    >
      {status}
    </Badge>
  );
}
