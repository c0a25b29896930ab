import {
  Button,
  Card,
  CloseButton,
  FileButton,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { api } from '../../ui/api.ts';
import { ErrorAlert } from '../../ui/parts.tsx';
import { fileSize } from './data.ts';
import { Clip } from './TicketThread.tsx';

export type Mode = 'reply' | 'note';
export interface ComposerHandle {
  /** Switches to reply or note and puts the cursor in the text (keyboard shortcuts r / n). */
  focus(mode: Mode): void;
}

interface Picked {
  file: File;
  data: string;
}

const SET_STATE = [
  { value: '', label: 'Keep the status' },
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Awaiting customer' },
  { value: 'resolved', label: 'Resolved' },
];

const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });

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
  const [files, setFiles] = useState<Picked[]>([]);
  const [setState, setSetState] = useState('');
  const [focused, setFocused] = useState(false);
  const text = useRef<HTMLTextAreaElement>(null);
  // Cleared after each pick, so the same file can be chosen again.
  const resetPicker = useRef<() => void>(null);
  useImperativeHandle(p.ref, () => ({
    focus(m) {
      setMode(m);
      requestAnimationFrame(() => text.current?.focus());
    },
  }));
  const active = focused || body.trim() !== '' || files.length > 0;
  const { onActive } = p;
  useEffect(() => onActive(active), [active, onActive]);

  const send = useMutation({
    mutationFn: () => {
      const attachments = files.map((f) => ({
        filename: f.file.name,
        contentType: f.file.type || undefined,
        data: f.data,
      }));
      return api('POST', `/api/v1/tickets/${p.number}/${mode === 'reply' ? 'replies' : 'notes'}`, {
        body,
        ...(attachments.length ? { attachments } : {}),
        ...(mode === 'reply' && setState ? { setState } : {}),
      });
    },
    onSuccess: () => {
      setBody('');
      setFiles([]);
      setSetState('');
      p.onSent();
    },
  });
  const pick = useMutation({
    mutationFn: async (picked: File[]) => {
      const read = await Promise.all(picked.map(async (file) => ({ file, data: await readAsDataUrl(file) })));
      setFiles((old) => [...old, ...read]);
      resetPicker.current?.();
    },
  });

  return (
    <Card withBorder bg={mode === 'note' ? 'yellow.0' : undefined} aria-label="Composer">
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
        />
        {files.length > 0 && (
          <Stack gap={4} aria-label="Files to attach">
            {files.map((f, i) => (
              <Group key={`${f.file.name}-${i}`} gap="xs">
                <Text size="sm">
                  <Clip /> {f.file.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {fileSize(f.file.size)}
                </Text>
                <CloseButton
                  size="sm"
                  aria-label={`Remove ${f.file.name}`}
                  onClick={() => setFiles(files.filter((_, j) => j !== i))}
                />
              </Group>
            ))}
          </Stack>
        )}
        <ErrorAlert error={send.error ?? pick.error} />
        <Group justify="space-between" align="flex-end">
          <Group gap="xs" align="flex-end">
            <FileButton
              multiple
              resetRef={resetPicker}
              onChange={(picked) => picked.length && pick.mutate(picked)}
            >
              {(props) => (
                <Button variant="default" size="sm" {...props}>
                  Attach files
                </Button>
              )}
            </FileButton>
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
          <Button disabled={!body.trim()} loading={send.isPending} onClick={() => send.mutate()}>
            {mode === 'reply' ? 'Send reply' : 'Add note'}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
