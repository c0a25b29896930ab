import { Button, Card, Combobox, Group, Loader, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CustomerOut, OrganizationOut } from '../../../src/contract/directory.contract.ts';
import { api } from '../ui/api.ts';

// Phone intake's "who is calling": search-as-you-type over GET /customers
// (a prefix of the address or part of the name), each match with its email
// and organization, so the agent picks the right Karen. An agent searches the
// customers of tickets they may see; the caller's complete address finds them
// whatever their tickets (customers.policy.ts).

export type CustomerRow = CustomerOut;

function useOrganizationNames() {
  const orgs = useQuery({
    queryKey: ['organizations'],
    queryFn: () => api<{ items: OrganizationOut[] }>('GET', '/api/v1/organizations'),
    staleTime: 60_000,
  });
  return (id: number | null) => (id === null ? undefined : orgs.data?.items.find((o) => o.id === id)?.name);
}

const details = (c: CustomerRow, org: string | undefined) =>
  [c.email, org, c.phone].filter(Boolean).join(' · ');

export function CallerSearch({ onPick }: { onPick: (c: CustomerRow) => void }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 200);
  const orgName = useOrganizationNames();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const found = useQuery({
    queryKey: ['customer-search', q],
    queryFn: () =>
      api<{ items: CustomerRow[] }>('GET', `/api/v1/customers?limit=8&q=${encodeURIComponent(q)}`),
    enabled: q.length >= 2,
  });
  const items = found.data?.items ?? [];
  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(id) => {
        const c = items.find((i) => String(i.id) === id);
        if (c) onPick(c);
        combobox.closeDropdown();
      }}
    >
      <Combobox.Target>
        <TextInput
          label="Find the caller"
          description="Name or email of a customer of your tickets, or the caller's complete email address"
          placeholder="e.g. karen or karen@example.com"
          value={search}
          rightSection={found.isFetching ? <Loader size="xs" /> : null}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={q.length < 2 || (found.isPending && items.length === 0)}>
        <Combobox.Options aria-label="Matching customers">
          {items.length === 0 ? (
            <Combobox.Empty>No customer matches: enter the caller below.</Combobox.Empty>
          ) : (
            items.map((c) => (
              <Combobox.Option value={String(c.id)} key={c.id} disabled={c.isBanned}>
                <Text size="sm" fw={500}>
                  {c.name}
                  {c.isBanned ? ' (banned)' : ''}
                </Text>
                <Text size="xs" c="dimmed">
                  {details(c, orgName(c.organizationId))}
                </Text>
              </Combobox.Option>
            ))
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

/** The caller picked: who they are, and a way back to the search. */
export function PickedCaller({ caller, onClear }: { caller: CustomerRow; onClear: () => void }) {
  const orgName = useOrganizationNames();
  return (
    <Card withBorder p="sm" aria-label="Caller">
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text fw={600}>{caller.name}</Text>
          <Text size="sm" c="dimmed">
            {details(caller, orgName(caller.organizationId))}
          </Text>
        </div>
        <Button variant="subtle" size="xs" onClick={onClear}>
          Someone else
        </Button>
      </Group>
    </Card>
  );
}
