import { ActionIcon, Button, Fieldset, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { issueText, type Issue } from './model.ts';

// The list editor under a routing rule's conditions and actions: rows with
// add and remove, each with the API's problems for it underneath.

export const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const rowIssues = (issues: Issue[], i: number) =>
  issues
    .filter((x) => x.path === String(i) || x.path.startsWith(`${i}.`))
    .map((x) => ({ path: x.path.slice(String(i).length + 1), message: x.message }));

/** A list of rows with add and remove; every row says what is wrong with it. */
export function Rows<T>(p: {
  label: string;
  items: T[];
  onChange: (items: T[]) => void;
  blank: T;
  issues: Issue[];
  addLabel: string;
  row: (item: T, set: (item: T) => void, i: number) => ReactNode;
  empty: string;
}) {
  const general = p.issues.filter((x) => !/^\d/.test(x.path));
  return (
    <Fieldset legend={p.label} variant="filled">
      <Stack gap="xs">
        {p.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {p.empty}
          </Text>
        )}
        {p.items.map((item, i) => {
          const problem = issueText(rowIssues(p.issues, i));
          return (
            <Stack key={i} gap={2}>
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Group gap="xs" style={{ flex: 1 }} align="flex-start">
                  {p.row(item, (next) => p.onChange(p.items.map((x, j) => (j === i ? next : x))), i)}
                </Group>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Remove ${p.label.toLowerCase()} ${i + 1}`}
                  onClick={() => p.onChange(p.items.filter((_, j) => j !== i))}
                  mt={4}
                >
                  ✕
                </ActionIcon>
              </Group>
              {problem && (
                <Text c="red" size="xs" role="alert">
                  {problem}
                </Text>
              )}
            </Stack>
          );
        })}
        {general.length > 0 && (
          <Text c="red" size="sm" role="alert">
            {issueText(general)}
          </Text>
        )}
        <Group>
          <Button size="compact-sm" variant="light" onClick={() => p.onChange([...p.items, p.blank])}>
            {p.addLabel}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
