import { Notification } from '@mantine/core';
import { useEffect, useRef } from 'react';

// Short messages about what just happened. A success leaves by itself after a
// few seconds (it must never cover the rows it talks about for long); a
// failure stays until dismissed, since it lists what to look at. A notice
// can also follow the agent to the next page (after a transfer away, the
// ticket is gone and the queue says where it went).

export interface NoticeText {
  title: string;
  text: string;
  /** The status region's accessible name, when the title is too short to say what it is about. */
  label?: string;
  failed?: boolean;
}

/** How long a success stays on screen. */
export const NOTICE_MS = 6_000;
const KEY = 'deskline.notice';

/** Shows `notice` at the bottom right; success leaves after NOTICE_MS, failure on dismiss. */
export function Toast({ notice, onClose }: { notice: NoticeText | null; onClose: () => void }) {
  // The timer follows the notice, not the page's re-renders (a queue refetch must not restart it).
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!notice || notice.failed) return;
    const timer = window.setTimeout(() => close.current(), NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  return (
    <Notification
      style={{
        position: 'fixed',
        right: 16,
        bottom: 16,
        width: 'min(440px, calc(100vw - 32px))',
        zIndex: 300,
      }}
      color={notice.failed ? 'orange' : 'teal'}
      title={notice.title}
      onClose={onClose}
      closeButtonProps={{ 'aria-label': 'Dismiss' }}
      role="status"
      aria-label={notice.label ?? notice.title}
      withBorder
    >
      {notice.text}
    </Notification>
  );
}

/** Leaves a notice for the next page the agent lands on. */
export function passNotice(notice: NoticeText): void {
  sessionStorage.setItem(KEY, JSON.stringify(notice));
}

/** The notice the previous page left, taken once (a useState initializer). */
export function takePassedNotice(): NoticeText | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  sessionStorage.removeItem(KEY);
  try {
    return JSON.parse(raw) as NoticeText;
  } catch {
    return null; // written by an older build: nothing to say
  }
}
