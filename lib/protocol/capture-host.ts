/**
 * Firefox: the background's port to the extension pages that can capture (the sidebar, or the panel
 * opened as a tab). Commands are the offscreen document's OffscreenCommands, addressed to one page;
 * frames and other events come back as ordinary runtime messages, exactly as from the offscreen document.
 */
import type { OffscreenCommand } from './messages.ts';

export const CAPTURE_HOST_PORT = 'sightline-capture-host';

export type HostToBackground =
  /** When the person last clicked or typed in this page: the page they use gets the capture. */
  | { type: 'engaged'; at: number }
  | { type: 'reply'; id: number; result: unknown };

export type BackgroundToHost = { type: 'command'; id: number; command: OffscreenCommand };

export function isHostToBackground(m: unknown): m is HostToBackground {
  const type = (m as { type?: unknown } | null)?.type;
  return type === 'engaged' || type === 'reply';
}

export function isBackgroundToHost(m: unknown): m is BackgroundToHost {
  return (m as { type?: unknown } | null)?.type === 'command';
}
