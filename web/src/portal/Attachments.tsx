import { Anchor, Button, CloseButton, FileButton, Group, Image, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';

// Files on a ticket: picking them for a message (sent as data URLs inside the
// JSON body, as POST /tickets and /replies accept them) and showing them on
// the thread (images as previews, everything as a download link).

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

export interface StoredAttachment {
  id: number;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
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

/** "Attach files" and the list of what is attached, each removable; limits are checked before sending. */
export function AttachmentPicker({
  files,
  onChange,
}: {
  files: PickedFile[];
  onChange: (files: PickedFile[]) => void;
}) {
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
      onChange([...files, ...(await Promise.all(chosen.map(readFile)))]);
    } catch (err) {
      setProblem(String(err));
    }
  }
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <FileButton multiple onChange={(chosen) => void add(chosen)}>
          {(props) => (
            <Button {...props} variant="default" size="xs">
              Attach files
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          Up to {formatSize(MAX_FILE_BYTES)} each
        </Text>
      </Group>
      {problem && (
        <Text size="sm" c="red" role="alert">
          {problem}
        </Text>
      )}
      {files.length > 0 && (
        <Stack gap={4} aria-label="Attached files">
          {files.map((f, i) => (
            <Group key={`${f.name}-${i}`} gap={6} wrap="nowrap">
              <Text size="sm" truncate="end" style={{ minWidth: 0 }}>
                {f.name}
              </Text>
              <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                {formatSize(f.size)}
              </Text>
              <CloseButton
                size="sm"
                aria-label={`Remove ${f.name}`}
                onClick={() => onChange(files.filter((_, j) => j !== i))}
              />
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

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

const isImage = (a: StoredAttachment) => /^image\/(png|jpeg|gif|webp)$/.test(a.contentType);

/** A thread entry's files: image previews, then a download link per file. */
export function AttachmentList({ items }: { items: StoredAttachment[] }) {
  if (items.length === 0) return null;
  const images = items.filter(isImage);
  return (
    <Stack gap="xs" mt="sm" aria-label="Attachments">
      {images.length > 0 && (
        <Group gap="xs">
          {images.map((a) => (
            <Anchor key={a.id} href={a.url} aria-label={`Download ${a.filename}`}>
              <Paper withBorder radius="sm" style={{ overflow: 'hidden' }}>
                <Image src={a.url} alt={a.filename} h={96} w={128} fit="cover" />
              </Paper>
            </Anchor>
          ))}
        </Group>
      )}
      <Group gap="md">
        {items.map((a) => (
          <Anchor key={a.id} href={a.url} size="sm" style={{ overflowWrap: 'anywhere' }}>
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
