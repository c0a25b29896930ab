import { Select, Textarea, TextInput } from '@mantine/core';
import { refOptions, type EditorProps } from './model.ts';
import { Rows, splitList } from './Rows.tsx';

// A routing rule's actions: what to set (chosen from the desk's own lists),
// tags, copies, an automatic reply, a rejection or stop.

type Api = Record<string, unknown>;

const TARGETS: Record<string, [string, string, string]> = {
  set_department: ['Set department', 'departmentId', 'departments'],
  set_help_topic: ['Set help topic', 'helpTopicId', 'help-topics'],
  set_priority: ['Set priority', 'priorityId', 'priorities'],
  set_sla_plan: ['Set SLA plan', 'slaPlanId', 'sla-plans'],
  set_team: ['Give to team', 'teamId', 'teams'],
  set_agent: ['Assign to agent', 'agentId', 'agents'],
  set_status: ['Set status', 'statusId', 'statuses'],
};
const TEXTS: Record<string, [string, string, boolean]> = {
  add_tags: ['Add tags', 'tags', true],
  add_collaborators: ['Copy in addresses', 'emails', true],
  send_reply: ['Send an automatic reply', 'body', false],
  reject: ['Reject the request', 'reason', false],
};
const ACTION_OPTIONS = [
  ...Object.entries(TARGETS).map(([value, [label]]) => ({ value, label })),
  ...Object.entries(TEXTS).map(([value, [label]]) => ({ value, label })),
  { value: 'stop', label: 'Stop (skip later rules)' },
];
export const ACTION_REFS = Object.values(TARGETS).map(([, , path]) => path);

interface ActionDraft {
  type: string;
  id: string | null;
  text: string;
}

export function actionDrafts(list: unknown): ActionDraft[] {
  return ((list as Api[] | undefined) ?? []).map((a) => {
    const type = String(a.type);
    const target = TARGETS[type];
    const t = TEXTS[type];
    const raw = t ? a[t[1]] : undefined;
    return {
      type,
      id: target ? String(a[target[1]]) : null,
      text: Array.isArray(raw) ? raw.join(', ') : typeof raw === 'string' ? raw : '',
    };
  });
}

export function actionsOf(drafts: unknown): Api[] {
  return ((drafts as ActionDraft[] | undefined) ?? []).map((d) => {
    const target = TARGETS[d.type];
    if (target) return { type: d.type, [target[1]]: d.id === null ? 0 : Number(d.id) };
    const t = TEXTS[d.type];
    if (t) return { type: d.type, [t[1]]: t[2] ? splitList(d.text) : d.text };
    return { type: d.type };
  });
}

export function ActionsEditor(p: EditorProps) {
  return (
    <Rows
      label={p.label}
      items={(p.value as ActionDraft[] | undefined) ?? []}
      onChange={p.onChange}
      blank={{ type: 'set_department', id: null, text: '' }}
      issues={p.issues}
      addLabel="Add action"
      empty="A rule needs at least one action."
      row={(a, set, i) => {
        const target = TARGETS[a.type];
        const t = TEXTS[a.type];
        return (
          <>
            <Select
              aria-label={`Action ${i + 1}`}
              data={ACTION_OPTIONS}
              value={a.type}
              w={210}
              size="xs"
              allowDeselect={false}
              onChange={(type) => set({ type: type ?? a.type, id: null, text: '' })}
            />
            {target && (
              <Select
                aria-label={`Action ${i + 1} value`}
                size="xs"
                data={refOptions(p.refs, target[2])}
                value={a.id}
                onChange={(id) => set({ ...a, id })}
                searchable
                style={{ flex: 1 }}
              />
            )}
            {t && a.type === 'send_reply' && (
              <Textarea
                aria-label={`Action ${i + 1} value`}
                size="xs"
                autosize
                minRows={2}
                value={a.text}
                onChange={(e) => set({ ...a, text: e.currentTarget.value })}
                style={{ flex: 1 }}
              />
            )}
            {t && a.type !== 'send_reply' && (
              <TextInput
                aria-label={`Action ${i + 1} value`}
                size="xs"
                placeholder={t[2] ? 'comma-separated' : ''}
                value={a.text}
                onChange={(e) => set({ ...a, text: e.currentTarget.value })}
                style={{ flex: 1 }}
              />
            )}
          </>
        );
      }}
    />
  );
}
