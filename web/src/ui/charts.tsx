import { Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { formatDay } from './format.ts';

// Small hand-drawn SVG charts: grouped bars with an optional line over the
// same periods. The picture is one role="img" with a summary for screen
// readers; the numbers themselves are in a table that a button shows.

export interface ChartSeries {
  label: string;
  color: string;
  /** null: no value for the period (a line breaks there; a bar is empty). */
  values: (number | null)[];
}

export interface ChartProps {
  title: string;
  categories: string[];
  bars?: ChartSeries[];
  lines?: ChartSeries[];
  /** How a value reads in the table and the axis (counts by default). */
  format?: (n: number) => string;
  height?: number;
  /** What the screen-reader summary says of a series; its total by default. */
  describe?: (s: ChartSeries, format: (n: number) => string) => string;
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

const sum = (values: (number | null)[]) => values.reduce<number>((a, b) => a + (b ?? 0), 0);

/** Runs of consecutive indexes with a value: a line is drawn through each run. */
function segments(values: (number | null)[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(i);
  });
  if (run.length) runs.push(run);
  return runs;
}

export function BarLineChart({
  title,
  categories,
  bars = [],
  lines = [],
  format = String,
  height = 240,
  describe = (s, f) => `${s.label} ${f(sum(s.values))} in total`,
}: ChartProps) {
  const [table, setTable] = useState(false);
  const all = [...bars, ...lines];
  const max = niceMax(Math.max(0, ...all.flatMap((s) => s.values.map((v) => v ?? 0))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(categories.length, 1);
  const barW = Math.max(2, Math.min(56, (slot * 0.7) / Math.max(bars.length, 1)));
  const barsStart = (slot - barW * bars.length) / 2;
  const x = (i: number) => PAD.left + i * slot + slot / 2;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const every = Math.ceil(categories.length / 10);
  const summary = `${title}: ${all.map((s) => describe(s, format)).join(', ')} over ${categories.length} periods`;
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
              x={PAD.left + i * slot + barsStart + si * barW}
              y={y(v ?? 0)}
              width={barW - 1}
              height={Math.max(0, PAD.top + plotH - y(v ?? 0))}
              rx={2}
              fill={s.color}
            />
          )),
        )}
        {lines.map((s) => (
          <g key={s.label} stroke={s.color} fill={s.color}>
            {segments(s.values).map((seg) => (
              <polyline
                key={seg[0]}
                fill="none"
                strokeWidth={2}
                points={seg.map((i) => `${x(i)},${y(s.values[i] ?? 0)}`).join(' ')}
              />
            ))}
            {categories.length <= 31 &&
              s.values.map((v, i) => (v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={2.5} />))}
          </g>
        ))}
        {categories.map((c, i) =>
          i % every === 0 ? (
            <text key={c} x={x(i)} y={height - 8} fontSize="11" textAnchor="middle" fill="#868e96">
              {formatDay(c)}
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
            <Table.Td>{formatDay(c)}</Table.Td>
            {p.series.map((s) => (
              <Table.Td key={s.label}>
                {s.values[i] === null || s.values[i] === undefined ? '—' : p.format(s.values[i])}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
