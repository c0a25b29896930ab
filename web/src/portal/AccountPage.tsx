import { Card, Stack, Text, Title } from '@mantine/core';
import { PageHeading } from '../ui/a11y.tsx';
import { EmailChangeForm } from './AccountForms.tsx';
import { useTitle, type Customer } from './session.ts';

/** /account: who the customer is, and changing their email address (confirmed by the new address). */
export function AccountPage({ customer }: { customer: Customer }) {
  useTitle('My account');
  return (
    <Card withBorder maw={520} mx="auto">
      <Stack>
        <PageHeading size="h3">My account</PageHeading>
        <Text>
          {customer.name} · {customer.email}
        </Text>
        <Title order={4}>Change my email address</Title>
        <Text size="sm" c="dimmed">
          We send a link to the new address. Your tickets and replies move to it once you open the link while
          signed in here.
        </Text>
        <EmailChangeForm current={customer.email ?? ''} />
      </Stack>
    </Card>
  );
}
