import type { SettingsSpec } from './SettingsPage.tsx';

// Confirmation and satisfaction surveys (GET/PUT /api/v1/settings/surveys);
// see docs/SURVEYS.md. Departments override any field by id.

export const surveys: SettingsSpec = {
  key: 'surveys',
  section: 'surveys',
  title: 'Satisfaction surveys',
  intro:
    'After a ticket is resolved (or closed) the customer gets one mail asking for a rating and a comment. The link opens a page where they confirm; one rating per ticket.',
  fields: [
    { key: 'enabled', label: 'Send satisfaction surveys', kind: 'bool' },
    {
      key: 'trigger',
      label: 'Send the survey when the ticket is',
      kind: 'select',
      options: [
        { value: 'resolved', label: 'resolved' },
        { value: 'closed', label: 'closed' },
      ],
      required: true,
    },
    {
      key: 'scale',
      label: 'Rating scale',
      kind: 'select',
      options: [
        { value: 'five', label: '1 to 5 stars' },
        { value: 'binary', label: 'Good / bad' },
      ],
      required: true,
    },
    {
      key: 'changeDays',
      label: 'Customers may change their rating for (days)',
      kind: 'number',
      required: true,
      description: 'Counted from their first answer',
    },
    {
      key: 'notifyLeadAtOrBelow',
      label: 'Alert the team lead at or below this score',
      kind: 'number',
      nullable: true,
      description: 'Team lead, else the department manager; bad = 1 on the good/bad scale; empty: never',
    },
    {
      key: 'departments',
      label: 'Department overrides (JSON)',
      kind: 'json',
      required: true,
      default: {},
      placeholder: '{ "2": { "trigger": "closed", "scale": "binary" } }',
      description: 'By department id, any of the fields above; {} for none',
    },
  ],
};
