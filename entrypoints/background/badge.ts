/** The toolbar badge says whether sharing is on, so it is visible even with the panel closed. */
import { browser } from 'wxt/browser';
import type { SharingStatus } from '@/lib/protocol/messages.ts';

const BADGE: Record<SharingStatus, { text: string; color: string; title: string }> = {
  off: { text: '', color: '#666', title: 'Open Sightline on this tab' },
  starting: { text: '…', color: '#666', title: 'Sightline: starting to share' },
  on: { text: 'ON', color: '#c5221f', title: 'Sightline is sharing (click to open)' },
  paused: { text: '❚❚', color: '#5f6368', title: 'Sightline sharing is paused' },
};

let shown: SharingStatus | undefined;

export function showSharingBadge(status: SharingStatus): void {
  if (status === shown) return;
  shown = status;
  const b = BADGE[status];
  const action = browser.action; // MV3 in both browsers (Firefox's MV3 has `action` too)
  void action.setBadgeText({ text: b.text });
  void action.setBadgeBackgroundColor({ color: b.color });
  void action.setTitle({ title: b.title });
}
