import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { SurveyOut } from '../../../src/contract/surveys.contract.ts';
import { api } from '../ui/api.ts';
import { formatDate } from '../ui/format.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { ScorePicker, scoreText } from '../ui/rating.tsx';

export type Survey = SurveyOut;

/**
 * Rate or change the rating: nothing is recorded until Confirm (a link's GET
 * never writes). `url` is the survey link's API or the ticket's rating API.
 */
export function RatingForm({
  survey,
  url,
  preselect,
  onSaved,
}: {
  survey: Survey;
  url: string;
  preselect?: number | null;
  onSaved: (s: Survey) => void;
}) {
  const [score, setScore] = useState<number | null>(preselect ?? survey.rating?.score ?? null);
  const [comment, setComment] = useState(survey.rating?.comment ?? '');
  const save = useMutation({
    mutationFn: () => api<Survey>('POST', url, { score, ...(comment.trim() ? { comment } : {}) }),
    onSuccess: onSaved,
  });
  const open = survey.changeableUntil !== null && new Date(survey.changeableUntil).getTime() > Date.now();
  if (!open)
    return survey.rating ? (
      <Text size="sm">
        Your rating: {scoreText(survey.scale, survey.rating.score)}. It can no longer be changed.
      </Text>
    ) : (
      <Text size="sm" c="dimmed">
        This survey is closed.
      </Text>
    );
  return (
    <Stack gap="sm">
      {save.isSuccess && (
        <Alert color="green" title="Thank you">
          Your rating is saved. You can change it until {formatDate(survey.changeableUntil!)}.
        </Alert>
      )}
      <ScorePicker scale={survey.scale} value={score} onChange={setScore} />
      <Textarea
        label="Comment (optional)"
        placeholder="What went well, or what could we do better?"
        autosize
        minRows={2}
        maxLength={2000}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
      />
      <ErrorAlert error={save.error} />
      <Group>
        <Button disabled={score === null} loading={save.isPending} onClick={() => save.mutate()}>
          {survey.rating ? 'Change my rating' : 'Confirm my rating'}
        </Button>
      </Group>
    </Stack>
  );
}
