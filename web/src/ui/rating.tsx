import { Badge, Group, Rating, SegmentedControl, Text } from '@mantine/core';
import type { z } from 'zod';
import type { Scale as ScaleSchema } from '../../../src/contract/common.contract.ts';

// The satisfaction rating as customers give it and agents read it. Binary
// scales store 1 (bad) and 5 (good), so one number works for both.

export type Scale = z.output<typeof ScaleSchema>;

export const SCORE_WORDS = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];

export const scoreText = (scale: Scale, score: number) =>
  scale === 'binary' ? (score >= 5 ? 'Good' : 'Bad') : `${score} of 5 · ${SCORE_WORDS[score - 1] ?? ''}`;

/** A read-only rating: stars for the five-point scale, a coloured word for good / bad. */
export function RatingView({
  scale,
  score,
  comment,
}: {
  scale: Scale;
  score: number;
  comment?: string | null;
}) {
  return (
    <Group gap={6} wrap="nowrap" aria-label={`Customer rating: ${scoreText(scale, score)}`}>
      {scale === 'five' ? (
        <Rating value={score} readOnly size="sm" aria-hidden />
      ) : (
        <Badge color={score >= 5 ? 'green' : 'red'} variant="light">
          {score >= 5 ? 'Good' : 'Bad'}
        </Badge>
      )}
      {comment && (
        <Text size="sm" c="dimmed" lineClamp={1} title={comment} style={{ maxWidth: 320 }}>
          “{comment}”
        </Text>
      )}
    </Group>
  );
}

/** The customer's choice; stars with their words, or Good / Bad. */
export function ScorePicker({
  scale,
  value,
  onChange,
}: {
  scale: Scale;
  value: number | null;
  onChange: (score: number) => void;
}) {
  if (scale === 'binary')
    return (
      <SegmentedControl
        aria-label="Your rating"
        value={value === null ? '' : String(value)}
        onChange={(v) => onChange(Number(v))}
        data={[
          { value: '5', label: 'Good' },
          { value: '1', label: 'Bad' },
        ]}
      />
    );
  return (
    <Group gap="sm">
      <Rating
        value={value ?? 0}
        onChange={onChange}
        size="lg"
        aria-label="Your rating"
        getSymbolLabel={(i) => `${i} of 5, ${SCORE_WORDS[i - 1] ?? ''}`}
      />
      <Text size="sm" c="dimmed" aria-live="polite">
        {value ? SCORE_WORDS[value - 1] : 'Choose a rating'}
      </Text>
    </Group>
  );
}
