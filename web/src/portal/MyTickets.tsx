import { Anchor, Badge, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../ui/api.ts';
import { navigate } from '../ui/path.ts';

interface Row {
  id: number;
  number: string;
  subject: string;
  status: string;
  updatedAt: string;
}

export function MyTickets() {
  const list = useQuery({
    queryKey: ['my-tickets'],
    queryFn: () => api<{ items: Row[] }>('GET', '/api/v1/tickets?limit=50'),
  });
  return (
    <>
      <Title order={3} mb="sm">
        My tickets
      </Title>
      {list.data?.items.length === 0 && <Text c="dimmed">You have no tickets yet.</Text>}
      {list.data && list.data.items.length > 0 && (
        <Table aria-label="My tickets" highlightOnHover>
          <Table.Tbody>
            {list.data.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>#{t.number}</Table.Td>
                <Table.Td>
                  <Anchor
                    href={`/tickets/${t.number}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/tickets/${t.number}`);
                    }}
                  >
                    {t.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light">{t.status}</Badge>
                </Table.Td>
                <Table.Td>{new Date(t.updatedAt).toLocaleDateString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
