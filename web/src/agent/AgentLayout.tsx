import { AppShell, Button, Group, Loader, Menu, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { MAIN_ID, SkipLink } from '../ui/a11y.tsx';
import { api } from '../ui/api.ts';
import { navigate, useLocation } from '../ui/path.ts';
import type { Me } from './AgentApp.tsx';
import { PhoneIntake } from './PhoneIntake.tsx';
import { QueueNav } from './queues/QueueNav.tsx';
import { QueuePage } from './queues/QueuePage.tsx';
import { routeOf, type AgentRoute } from './routes.ts';
import { TicketView } from './ticket/TicketView.tsx';
import { useShortcuts } from './shortcuts.tsx';
import { useLiveEvents } from './useLiveEvents.ts';
import { searchTarget } from './searchTarget.ts';

// Loaded when first opened: the queues and tickets an agent lives in start without their code.
const AdminPage = lazy(() => import('./admin/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));
const DashboardPage = lazy(() =>
  import('./dashboard/DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })),
);
const ReportsPage = lazy(() => import('./reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));
const ProfilePage = lazy(() => import('./ProfilePage.tsx').then((m) => ({ default: m.ProfilePage })));

/** The panel's frame: search and account in the header, queues on the left, the page in the middle. */
export function AgentLayout({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  const location = useLocation();
  const route = routeOf(location.path, location.search);
  useLiveEvents();
  const shortcutsHelp = useShortcuts(route);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm' }} padding="md">
      <SkipLink />
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Text fw={700} size="xl">
            Deskline
          </Text>
          <Group wrap="nowrap">
            <SearchBox route={route} />
            <Button size="xs" onClick={() => navigate('/agent/new')}>
              New ticket
            </Button>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="subtle" size="xs" aria-label={`${me.name}, account menu`}>
                  {me.name}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => navigate('/agent/profile')}>Profile</Menu.Item>
                {me.role === 'admin' && <Menu.Item onClick={() => navigate('/agent/admin')}>Admin</Menu.Item>}
                <Menu.Item
                  onClick={async () => {
                    await api('DELETE', '/api/v1/session');
                    onSignedOut();
                  }}
                >
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Queues">
        <QueueNav me={me} route={route} />
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID}>
        <Page me={me} route={route} />
        {shortcutsHelp}
      </AppShell.Main>
    </AppShell>
  );
}

function Page({ me, route }: { me: Me; route: AgentRoute }) {
  switch (route.page) {
    case 'ticket':
      return <TicketView me={me} number={route.number} />;
    case 'new':
      return <PhoneIntake />;
    case 'profile':
      return (
        <Suspense fallback={<Loader aria-label="Loading" />}>
          <ProfilePage me={me} />
        </Suspense>
      );
    case 'dashboard':
      return (
        <Suspense fallback={<Loader aria-label="Loading" />}>
          <DashboardPage />
        </Suspense>
      );
    case 'reports':
      return (
        <Suspense fallback={<Loader aria-label="Loading" />}>
          <ReportsPage report={route.report} />
        </Suspense>
      );
    case 'admin':
      return (
        <Suspense fallback={<Loader aria-label="Loading" />}>
          <AdminPage me={me} section={route.section} />
        </Suspense>
      );
    default:
      return <QueuePage me={me} route={route} />;
  }
}

/** Searches over every ticket the agent may see; results are a queue at /agent/search?q=, an exact number opens its ticket. */
function SearchBox({ route }: { route: AgentRoute }) {
  const client = useQueryClient();
  const [text, setText] = useState(route.page === 'search' ? route.q : '');
  useEffect(() => {
    if (route.page === 'search') setText(route.q);
  }, [route]);
  return (
    <form
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        // An exact ticket number opens the ticket; anything else (or a failed lookup) is a search.
        searchTarget(text).then(
          ({ url, ticket }) => {
            if (ticket) client.setQueryData(['ticket', ticket.number], ticket);
            navigate(url);
          },
          () => navigate(`/agent/search?q=${encodeURIComponent(text.trim())}`),
        );
      }}
    >
      <TextInput
        aria-label="Search tickets"
        placeholder="Search number, subject, text, requester"
        size="xs"
        w={300}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
    </form>
  );
}
