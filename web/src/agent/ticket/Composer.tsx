import { Button, Card, Group, SegmentedControl, Select, Stack, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { TINT } from '../../ui/a11y.tsx';
import { api } from '../../ui/api.ts';
import { AttachButton, PickedFiles, toPayload, useFilePicker } from '../../ui/attachments.tsx';
import { ErrorAlert } from '../../ui/parts.tsx';
import { navigate } from '../../ui/path.ts';
import { pathAfter } from '../shortcuts.tsx';

export type Mode = 'reply' | 'note';
export interface ComposerHandle {
  /** Switches to reply or note and puts the cursor in the text (keyboard shortcuts r / n). */
  focus(mode: Mode): void;
}

const SET_STATE = [
  { value: '', label: 'Keep the status' },
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Awaiting customer' },
  { value: 'resolved', label: 'Resolved' },
];

/**
 * Reply to the customer or add an internal note, with attachments (sent as
 * data URLs in the JSON body), the agent's signature, and for replies the
 * status to leave the ticket in. Tells the view when the agent is writing.
 */
export function Composer(p: {
  number: string;
  signature: string;
  ref?: Ref<ComposerHandle>;
  onSent: () => void;
  onActive: (active: boolean) => void;
}) {
  const [mode, setMode] = useState<Mode>('reply');
  const [body, setBody] = useState('');
  const picker = useFilePicker();
  const [setState, setSetState] = useState('');
  const [focused, setFocused] = useState(false);
  const text = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(p.ref, () => ({
    focus(m) {
      setMode(m);
      requestAnimationFrame(() => text.current?.focus());
    },
  }));
  const active = focused || body.trim() !== '' || picker.files.length > 0;
  const { onActive } = p;
  useEffect(() => onActive(active), [active, onActive]);

  // 'next': "Send and go to next" — on success, the next ticket of the last queue.
  const send = useMutation({
    mutationFn: (_then: 'stay' | 'next') => {
      const attachments = toPayload(picker.files);
      return api('POST', `/api/v1/tickets/${p.number}/${mode === 'reply' ? 'replies' : 'notes'}`, {
        body,
        ...(attachments.length ? { attachments } : {}),
        ...(mode === 'reply' && setState ? { setState } : {}),
      });
    },
    onSuccess: (_answer, then) => {
      setBody('');
      picker.clear();
      setSetState('');
      if (then === 'next') navigate(pathAfter(p.number));
      else p.onSent();
    },
  });
  const submit = (then: 'stay' | 'next') => {
    if (body.trim() && !send.isPending) send.mutate(then);
  };
  return (
    <Card withBorder bg={mode === 'note' ? TINT.note : undefined} aria-label="Composer">
      <Stack gap="sm">
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as Mode)}
          data={[
            { value: 'reply', label: 'Reply to customer' },
            { value: 'note', label: 'Internal note' },
          ]}
        />
        <Textarea
          ref={text}
          label={mode === 'reply' ? 'Reply' : 'Note'}
          description={mode === 'note' ? 'Only agents see internal notes.' : undefined}
          minRows={4}
          autosize
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit('stay');
            }
          }}
        />
        <PickedFiles picker={picker} />
        <ErrorAlert error={send.error ?? picker.problem} />
        <Group justify="space-between" align="flex-end">
          <Group gap="xs" align="flex-end">
            <AttachButton picker={picker} size="sm" />
            <Button
              variant="default"
              size="sm"
              disabled={!p.signature}
              title={p.signature ? undefined : 'Set a signature in your profile'}
              onClick={() =>
                setBody((b) => `${b.replace(/\s+$/, '')}${b.trim() ? '\n\n' : ''}${p.signature}`)
              }
            >
              Insert signature
            </Button>
            {mode === 'reply' && (
              <Select
                size="sm"
                w={190}
                label="Set status on send"
                data={SET_STATE}
                value={setState}
                onChange={(v) => setSetState(v ?? '')}
                allowDeselect={false}
              />
            )}
          </Group>
          <Group gap="xs">
            <Button
              variant="default"
              disabled={!body.trim() || send.isPending}
              onClick={() => submit('next')}
            >
              {mode === 'reply' ? 'Send and go to next' : 'Add and go to next'}
            </Button>
            <Button
              disabled={!body.trim()}
              loading={send.isPending}
              title="Ctrl+Enter"
              onClick={() => submit('stay')}
            >
              {mode === 'reply' ? 'Send reply' : 'Add note'}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}
