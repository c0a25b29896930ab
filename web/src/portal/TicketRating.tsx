import { Card, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { RatingForm, type Survey } from './RatingForm.tsx';

/** The customer's rating of a resolved or closed ticket, given or changed here while the survey is open. */
export function TicketRating({ number }: { number: string }) {
  const client = useQueryClient();
  const key = ['portal-rating', number];
  const survey = useQuery({
    queryKey: key,
    queryFn: () => api<Survey>('GET', `/api/v1/tickets/${number}/rating`),
  });
  if (survey.isPending) return null;
  if (survey.isError) return <ErrorAlert error={survey.error} />;
  // Surveys off for this department and nothing rated: nothing to show.
  if (survey.data.changeableUntil === null && !survey.data.rating) return null;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={5}>{survey.data.rating ? 'Your rating' : 'How did we do?'}</Title>
        {!survey.data.rating && (
          <Text size="sm" c="dimmed">
            Tell us how satisfied you are with the help on this ticket.
          </Text>
        )}
        <RatingForm
          survey={survey.data}
          url={`/api/v1/tickets/${number}/rating`}
          onSaved={(s) => client.setQueryData(key, s)}
        />
      </Stack>
    </Card>
  );
}
