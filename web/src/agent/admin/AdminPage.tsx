import { Alert, Box, Group, NavLink, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageHeading, routeOnClick } from '../../ui/a11y.tsx';
import type { Me } from '../AgentApp.tsx';
import { ResourcePage } from './ResourcePage.tsx';
import { agents } from './specs.agents.tsx';
import { departments, helpTopics, organizations, priorities, statuses, teams } from './specs.directory.tsx';
import type { ResourceSpec } from './model.ts';
import { automation, lifecycle, mail, SettingsPage, type SettingsSpec } from './SettingsPage.tsx';
import { slaPlans } from './specs.sla.tsx';
import { surveys } from './specs.surveys.tsx';
import { routingRules } from './specs.rules.tsx';
import { apiKeys, mailboxes, mailTemplates, rejections } from './specs.mail.tsx';

// Admin settings at /agent/admin/:section: the sections on the left, the
// chosen one on the right. The server refuses non-admins anyway; the page
// says so plainly instead of showing empty tables.

interface Section {
  section: string;
  label: string;
  render: () => ReactNode;
}
const page = (spec: ResourceSpec): Section => ({
  section: spec.section,
  label: spec.title,
  render: () => <ResourcePage key={spec.section} spec={spec} />,
});

const settings = (spec: SettingsSpec): Section => ({
  section: spec.section,
  label: spec.title,
  render: () => <SettingsPage key={spec.section} spec={spec} />,
});

const GROUPS: { label: string; sections: Section[] }[] = [
  { label: 'People', sections: [page(agents), page(departments), page(teams), page(organizations)] },
  {
    label: 'Tickets',
    sections: [
      page(helpTopics),
      page(priorities),
      page(statuses),
      page(slaPlans),
      settings(lifecycle),
      settings(surveys),
    ],
  },
  { label: 'Automation', sections: [page(routingRules), page(rejections), settings(automation)] },
  { label: 'Email', sections: [page(mailboxes), page(mailTemplates), settings(mail)] },
  { label: 'Integrations', sections: [page(apiKeys)] },
];
const ALL = GROUPS.flatMap((g) => g.sections);

export function AdminPage({ me, section }: { me: Me; section: string | null }) {
  if (me.role !== 'admin')
    return (
      <Stack maw={560}>
        <PageHeading documentTitle="Admin settings">Admin settings</PageHeading>
        <Alert color="yellow" title="Admins only" role="alert">
          Only desk admins can change departments, agents and settings. Ask an admin if something needs to
          change.
        </Alert>
      </Stack>
    );
  const current = ALL.find((s) => s.section === section) ?? ALL[0]!;
  return (
    <Group align="flex-start" gap="xl" wrap="nowrap">
      <Box component="nav" aria-label="Admin sections" w={200} style={{ flexShrink: 0 }}>
        {GROUPS.map((g) => (
          <Box key={g.label} mb="sm">
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={4}>
              {g.label}
            </Text>
            {g.sections.map((s) => (
              <NavLink
                key={s.section}
                component="a"
                href={`/agent/admin/${s.section}`}
                label={s.label}
                active={s === current}
                aria-current={s === current ? 'page' : undefined}
                onClick={routeOnClick(`/agent/admin/${s.section}`)}
                py={5}
              />
            ))}
          </Box>
        ))}
      </Box>
      <Box style={{ flex: 1, minWidth: 0 }}>{current.render()}</Box>
    </Group>
  );
}
