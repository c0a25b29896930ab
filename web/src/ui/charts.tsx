import { Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';

// Small hand-drawn SVG charts: grouped bars with an optional line over the
// same periods. The picture is one role="img" with a summary for screen
// readers; the numbers themselves are in a table that a button shows.

export interface ChartSeries {
  label: string;
  color: string;
  values: number[];
}

export interface ChartProps {
  title: string;
  categories: string[];
  bars?: ChartSeries[];
  lines?: ChartSeries[];
  /** How a value reads in the table and the axis (counts by default). */
  format?: (n: number) => string;
  height?: number;
}

const W = 960;
const PAD = { top: 12, right: 12, bottom: 28, left: 48 };

/** A round axis maximum: four grid steps of 1, 2 or 5 times a power of ten. */
function niceMax(n: number): number {
  if (n <= 0) return 4;
  const raw = n / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * p >= raw) ?? 10) * p * 4;
}

export function BarLineChart({
  title,
  categories,
  bars = [],
  lines = [],
  format = String,
  height = 240,
}: ChartProps) {
  const [table, setTable] = useState(false);
  const all = [...bars, ...lines];
  const max = niceMax(Math.max(0, ...all.flatMap((s) => s.values)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(categories.length, 1);
  const barW = Math.max(2, (slot * 0.7) / Math.max(bars.length, 1));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const every = Math.ceil(categories.length / 10);
  const summary = `${title}: ${all
    .map((s) => `${s.label} ${format(s.values.reduce((a, b) => a + b, 0))} in total`)
    .join(', ')} over ${categories.length} periods`;
  return (
    <Stack gap={4}>
      <svg viewBox={`0 0 ${W} ${height}`} width="100%" role="img" aria-label={summary}>
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke="#e9ecef" />
            <text x={PAD.left - 6} y={y(max * f) + 4} fontSize="11" textAnchor="end" fill="#868e96">
              {format(max * f)}
            </text>
          </g>
        ))}
        {bars.map((s, si) =>
          s.values.map((v, i) => (
            <rect
              key={`${si}-${i}`}
              x={PAD.left + i * slot + slot * 0.15 + si * barW}
              y={y(v)}
              width={barW - 1}
              height={Math.max(0, PAD.top + plotH - y(v))}
              rx={2}
              fill={s.color}
            />
          )),
        )}
        {lines.map((s) => (
          <polyline
            key={s.label}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            points={s.values.map((v, i) => `${PAD.left + i * slot + slot / 2},${y(v)}`).join(' ')}
          />
        ))}
        {categories.map((c, i) =>
          i % every === 0 ? (
            <text
              key={c}
              x={PAD.left + i * slot + slot / 2}
              y={height - 8}
              fontSize="11"
              textAnchor="middle"
              fill="#868e96"
            >
              {/^\d{4}-\d{2}-\d{2}$/.test(c) ? c.slice(5) : c}
            </text>
          ) : null,
        )}
      </svg>
      <Group justify="space-between">
        <Group gap="md">
          {all.map((s) => (
            <Group key={s.label} gap={6}>
              <span
                aria-hidden
                style={{
                  width: 10,
                  height: 10,
                  borderRadius: 2,
                  background: s.color,
                  display: 'inline-block',
                }}
              />
              <Text size="xs" c="dimmed">
                {s.label}
              </Text>
            </Group>
          ))}
        </Group>
        <Button size="compact-xs" variant="subtle" onClick={() => setTable(!table)} aria-expanded={table}>
          {table ? 'Hide data' : 'Show data'}
        </Button>
      </Group>
      {table ? (
        <ChartTable title={title} categories={categories} series={all} format={format} />
      ) : (
        <VisuallyHidden>
          <ChartTable title={title} categories={categories} series={all} format={format} />
        </VisuallyHidden>
      )}
    </Stack>
  );
}

function ChartTable(p: {
  title: string;
  categories: string[];
  series: ChartSeries[];
  format: (n: number) => string;
}) {
  return (
    <Table striped fz="sm" aria-label={`${p.title} (data)`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Period</Table.Th>
          {p.series.map((s) => (
            <Table.Th key={s.label}>{s.label}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {p.categories.map((c, i) => (
          <Table.Tr key={c}>
            <Table.Td>{c}</Table.Td>
            {p.series.map((s) => (
              <Table.Td key={s.label}>{p.format(s.values[i] ?? 0)}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
