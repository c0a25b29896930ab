import { Anchor, Button, CloseButton, FileButton, Group, Image, Stack, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import type { AttachmentOut } from '../../../src/contract/attachments.contract.ts';

// Files on a ticket, for the portal and the agent panel alike: picking them
// for a message (sent as data URLs inside the JSON body, as POST /tickets,
// /replies and /notes accept them) and showing them on the thread (images as
// previews, every file as a download link).

/** The server's default per-file limit; the JSON body (base64 adds a third) caps the total. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_TOTAL_BYTES = 15 * 1024 * 1024;
const MAX_FILES = 10;

export interface PickedFile {
  name: string;
  size: number;
  type: string;
  /** A data URL. */
  data: string;
}

/** A file on the thread, as the API lists it. */
export type StoredAttachment = AttachmentOut;

/** 1536 → "1.5 KB", 2048 → "2 KB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}

/** The API's attachment shape for the files picked. */
export const toPayload = (files: PickedFile[]) =>
  files.map((f) => ({ filename: f.name, data: f.data, ...(f.type ? { contentType: f.type } : {}) }));

function readFile(file: File): Promise<PickedFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve({ name: file.name, size: file.size, type: file.type, data: String(reader.result) });
    reader.onerror = () => reject(new Error(`${file.name} could not be read`));
    reader.readAsDataURL(file);
  });
}

/** The files picked for one message, with the limits checked as they are added. */
export function useFilePicker() {
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  async function add(chosen: File[]) {
    setProblem(null);
    const tooBig = chosen.find((f) => f.size > MAX_FILE_BYTES);
    const total = [...files, ...chosen].reduce((sum, f) => sum + f.size, 0);
    if (tooBig) return setProblem(`${tooBig.name} is larger than ${formatSize(MAX_FILE_BYTES)}.`);
    if (files.length + chosen.length > MAX_FILES) return setProblem(`Attach at most ${MAX_FILES} files.`);
    if (total > MAX_TOTAL_BYTES)
      return setProblem(`Attachments can be ${formatSize(MAX_TOTAL_BYTES)} in all.`);
    try {
      const read = await Promise.all(chosen.map(readFile));
      setFiles((old) => [...old, ...read]);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    }
  }
  return {
    files,
    problem,
    add,
    remove: (i: number) => setFiles((old) => old.filter((_, j) => j !== i)),
    clear: () => {
      setFiles([]);
      setProblem(null);
    },
  };
}
export type FilePicker = ReturnType<typeof useFilePicker>;

/** "Attach files"; cleared after each pick, so the same file can be chosen again after removing it. */
export function AttachButton({ picker, size = 'xs' }: { picker: FilePicker; size?: 'xs' | 'sm' }) {
  const reset = useRef<() => void>(null);
  return (
    <FileButton
      multiple
      resetRef={reset}
      onChange={(chosen) => {
        if (chosen.length) void picker.add(chosen).finally(() => reset.current?.());
      }}
    >
      {(props) => (
        <Button {...props} variant="default" size={size}>
          Attach files
        </Button>
      )}
    </FileButton>
  );
}

/** The files waiting to be sent, each removable. */
export function PickedFiles({ picker }: { picker: FilePicker }) {
  if (picker.files.length === 0) return null;
  return (
    <Stack gap={4} aria-label="Files to attach">
      {picker.files.map((f, i) => (
        <Group key={`${f.name}-${i}`} gap={6} wrap="nowrap">
          <Text size="sm" truncate="end" style={{ minWidth: 0 }}>
            <Clip /> {f.name}
          </Text>
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            {formatSize(f.size)}
          </Text>
          <CloseButton size="sm" aria-label={`Remove ${f.name}`} onClick={() => picker.remove(i)} />
        </Group>
      ))}
    </Stack>
  );
}

/** The button with the per-file limit, a refused pick's reason, and the files picked. */
export function AttachmentPicker({ picker }: { picker: FilePicker }) {
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <AttachButton picker={picker} />
        <Text size="xs" c="dimmed">
          Up to {formatSize(MAX_FILE_BYTES)} each
        </Text>
      </Group>
      {picker.problem && (
        <Text size="sm" c="red" role="alert">
          {picker.problem}
        </Text>
      )}
      <PickedFiles picker={picker} />
    </Stack>
  );
}

/** A paper clip (no emoji font is needed). */
function Clip() {
  return (
    <svg width="12" height="12" viewBox="0 0 24 24" aria-hidden="true" style={{ verticalAlign: -1 }}>
      <path
        d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        strokeLinecap="round"
      />
    </svg>
  );
}

/** Formats every browser shows (never SVG: it could carry script). */
const isImage = (a: StoredAttachment) => /^image\/(png|jpeg|gif|webp)$/.test(a.contentType);

/** A thread entry's files: image previews (a click opens the file), then a download link per file. */
export function AttachmentList({ items }: { items: StoredAttachment[] }) {
  if (items.length === 0) return null;
  const images = items.filter(isImage);
  return (
    <Stack gap="xs" mt="xs" aria-label="Attachments">
      {images.length > 0 && (
        <Group gap="xs">
          {images.map((a) => (
            <Anchor key={a.id} href={a.url} title={`${a.filename} (${formatSize(a.size)})`}>
              <Image
                src={a.url}
                alt={a.filename}
                h={96}
                w="auto"
                maw={200}
                fit="contain"
                radius="sm"
                bd="1px solid var(--mantine-color-gray-3)"
              />
            </Anchor>
          ))}
        </Group>
      )}
      <Group gap="md">
        {items.map((a) => (
          <Anchor
            key={a.id}
            href={a.url}
            size="sm"
            download={a.filename}
            style={{ overflowWrap: 'anywhere' }}
          >
            <Clip /> {a.filename}{' '}
            <Text span size="xs" c="dimmed">
              ({formatSize(a.size)})
            </Text>
          </Anchor>
        ))}
      </Group>
    </Stack>
  );
}
