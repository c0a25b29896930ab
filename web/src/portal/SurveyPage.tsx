import { Card, Center, Loader, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { PageHeading } from '../ui/a11y.tsx';
import { api } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { RatingForm, type Survey } from './RatingForm.tsx';
import { useTitle } from './session.ts';

/**
 * /survey/<token>?score=N: the link from the survey mail. Opening it records
 * nothing (mail scanners open links); the score from the link is preselected
 * and the customer confirms it, with a comment if they like.
 */
export function SurveyPage({ token }: { token: string }) {
  useTitle('How did we do?');
  const client = useQueryClient();
  const key = ['survey', token];
  const survey = useQuery({ queryKey: key, queryFn: () => api<Survey>('GET', `/api/v1/surveys/${token}`) });
  const fromLink = Number(new URLSearchParams(window.location.search).get('score'));
  if (survey.isPending)
    return (
      <Center py="xl">
        <Loader aria-label="Loading the survey" />
      </Center>
    );
  if (survey.isError) return <ErrorAlert error={survey.error} />;
  const s = survey.data;
  const valid = s.scale === 'five' ? [1, 2, 3, 4, 5] : [1, 5];
  return (
    <Card withBorder maw={560} mx="auto" p="lg">
      <Stack gap="md">
        <div>
          <PageHeading size="h3">How did we do?</PageHeading>
          <Text size="sm" c="dimmed">
            Ticket #{s.ticket.number} · {s.ticket.subject}
          </Text>
        </div>
        <Text size="sm">How satisfied are you with the help you got on this ticket?</Text>
        <RatingForm
          survey={s}
          url={`/api/v1/surveys/${token}`}
          preselect={valid.includes(fromLink) ? fromLink : null}
          onSaved={(saved) => client.setQueryData(key, saved)}
        />
      </Stack>
    </Card>
  );
}
