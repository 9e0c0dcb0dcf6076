/** Test double: runtime.connect / runtime.onConnect (on WXT's fakeBrowser) between pages and a background. */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CaptureCommands } from '../../lib/protocol/capture.ts';
import type { RpcHandlers } from '../../lib/messaging/rpc.ts';
import type { FramePayload } from '../../lib/protocol/messages.ts';

/** One end of a runtime Port joined in memory; disconnecting one end fires the other end's onDisconnect. */
export class End {
  other!: End;
  open = true;
  messages: Array<(m: unknown) => void> = [];
  disconnects: Array<() => void> = [];
  name: string;
  constructor(name: string) {
    this.name = name;
  }
  onMessage = { addListener: (l: (m: unknown) => void) => void this.messages.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.disconnects.push(l) };
  postMessage(m: unknown): void {
    if (!this.open) throw new Error('Attempting to use a disconnected port object');
    const copy = JSON.parse(JSON.stringify(m)); // Chrome serialises port messages as JSON
    queueMicrotask(() => this.other.open && this.other.messages.forEach((l) => l(copy)));
  }
  disconnect(): void {
    if (!this.open) return;
    this.open = this.other.open = false;
    this.other.disconnects.forEach((l) => l());
  }
}

/** browser.runtime.connect / onConnect between "pages" and a "background" that can be restarted. */
export function fakeRuntime() {
  let listeners: Array<(port: End) => void> = [];
  const backgroundEnds: End[] = [];
  vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation(((l: (port: End) => void) => void listeners.push(l)) as never);
  vi.spyOn(fakeBrowser.runtime, 'connect').mockImplementation((({ name }: { name: string }) => {
    const page = new End(name);
    const background = new End(name);
    page.other = background;
    background.other = page;
    backgroundEnds.push(background);
    // Delivered a moment later, as the browser does.
    queueMicrotask(() => listeners.forEach((l) => l(background)));
    return page;
  }) as never);
  return {
    /** The background stops (idle, suspended): its ports disconnect, its listeners are gone. */
    stopBackground() {
      listeners = [];
      backgroundEnds.splice(0).forEach((e) => e.disconnect());
    },
  };
}

/** A small frame, told apart by its capture time. */
export const frame = (n: number): FramePayload => ({ capturedAt: n, width: 4, height: 3, data: 'AAAA', meanLuma: 100, encodeMs: 2, changed: true });

/** A capture page that answers every command at once (override any). */
export function captureHandlers(over: Partial<RpcHandlers<CaptureCommands>> = {}): RpcHandlers<CaptureCommands> {
  return {
    start: () => ({ ok: true }),
    stop: () => {},
    pause: () => {},
    'set-rate': () => {},
    'set-redactions': () => {},
    grab: () => ({ ok: true, frame: frame(7) }),
    prepare: () => {},
    status: () => ({ active: true, source: 'camera' }),
    ocr: () => ({ ok: true, text: 'TEXT READ' }),
    'start-live': () => ({ ok: true }),
    'end-live': () => {},
    mute: () => {},
    'live-text': () => {},
    'live-frame': () => {},
    ...over,
  };
}
