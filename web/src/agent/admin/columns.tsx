import { Avatar, Badge, ColorSwatch, Group, Text, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { getPath, refName, type Column, type Refs, type Row } from './model.ts';
import { formatDateTime } from '../../ui/format.ts';

// Table cells the resource descriptions share.

/** A badge that never truncates its word (table cells are narrow beside two sidebars). */
export function Tag(p: BadgeProps & { children: ReactNode }) {
  return (
    <Badge
      variant="light"
      tt="none"
      fw={600}
      styles={{ label: { overflow: 'visible' } }}
      style={{ flexShrink: 0 }}
      {...p}
    />
  );
}

/** 'round_robin' → 'Round robin'. */
export const words = (v: string) => {
  const s = v.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** A person: initials, name and address on two lines. */
export const person = (label: string): Column => ({
  label,
  render: (row) => (
    <Group gap="sm" wrap="nowrap">
      <Avatar name={String(row.name)} color="initials" size={32} />
      <div>
        <Text size="sm" fw={600}>
          {String(row.name)}
        </Text>
        <Text size="xs" c="dimmed">
          {String(row.email)}
        </Text>
      </div>
    </Group>
  ),
});

export const text = (label: string, key: string, strong = false): Column => ({
  label,
  render: (row) => {
    const v = getPath(row, key);
    return v === null || v === undefined || v === '' ? (
      <Text c="dimmed">—</Text>
    ) : (
      <Text size="sm" fw={strong ? 600 : undefined}>
        {String(v)}
      </Text>
    );
  },
});

export const ref = (label: string, key: string, path: string): Column => ({
  label,
  render: (row, refs) => <Text size="sm">{refName(refs, path, row[key])}</Text>,
});

export const flag = (label: string, key: string, yes: string, no: string, yesColor = 'teal'): Column => ({
  label,
  render: (row) =>
    row[key] === true ? (
      <Tag color={yesColor}>{yes}</Tag>
    ) : no === '—' ? (
      <Text c="dimmed">—</Text>
    ) : (
      <Tag color="gray">{no}</Tag>
    ),
});

export const badge = (label: string, key: string, colors: Record<string, string>): Column => ({
  label,
  render: (row) => <Tag color={colors[String(row[key])] ?? 'gray'}>{words(String(row[key]))}</Tag>,
});

export const list = (label: string, items: (row: Row, refs: Refs) => ReactNode[]): Column => ({
  label,
  render: (row, refs) => {
    const all = items(row, refs);
    return all.length === 0 ? (
      <Text c="dimmed">—</Text>
    ) : (
      <Group gap={4}>
        {all.map((item, i) => (
          <Tag key={i} variant="default" fw={500}>
            {item}
          </Tag>
        ))}
      </Group>
    );
  },
});

export const swatch = (label: string, key: string): Column => ({
  label,
  render: (row) => (
    <Group gap="xs">
      <ColorSwatch color={String(row[key])} size={16} />
      <Text size="sm" ff="monospace">
        {String(row[key])}
      </Text>
    </Group>
  ),
});

export const when = (label: string, key: string): Column => ({
  label,
  render: (row) =>
    row[key] ? <Text size="sm">{formatDateTime(String(row[key]))}</Text> : <Text c="dimmed">—</Text>,
});
