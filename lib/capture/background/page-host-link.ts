/**
 * Firefox background side of CAPTURE_HOST_PORT: knows which extension pages can capture, sends a command
 * to one of them and waits for its reply. The page the person last used gets a new capture; later commands
 * go to the page that runs it.
 */
import { browser, type Browser } from 'wxt/browser';
import type { OffscreenCommand, Untargeted } from '../../protocol/messages.ts';
import { CAPTURE_HOST_PORT, isHostToBackground, type BackgroundToHost } from '../../protocol/capture-host.ts';

type Port = Browser.runtime.Port;

export const NO_HOST_MESSAGE =
  'Open the Sightline sidebar first: in Firefox the camera and the screen are captured by the sidebar.';

export class PageHostLink {
  private hosts = new Map<Port, { engagedAt: number; connectedAt: number }>();
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; port: Port }>();
  private nextId = 1;
  private capturing: Port | undefined;
  private connectWaiters: Array<() => void> = [];

  /** `onLost` is called when the page running a capture goes away (sidebar closed, page reloaded). */
  constructor(onLost: () => void) {
    browser.runtime.onConnect.addListener((port) => {
      if (port.name !== CAPTURE_HOST_PORT) return;
      this.hosts.set(port, { engagedAt: 0, connectedAt: Date.now() });
      this.connectWaiters.splice(0).forEach((w) => w());
      port.onMessage.addListener((msg: unknown) => {
        if (!isHostToBackground(msg)) return;
        if (msg.type === 'engaged') {
          const info = this.hosts.get(port);
          if (info) info.engagedAt = Math.max(info.engagedAt, msg.at);
          return;
        }
        const waiter = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        waiter?.resolve(msg.result);
      });
      port.onDisconnect.addListener(() => {
        this.hosts.delete(port);
        for (const [id, w] of this.pending) {
          if (w.port !== port) continue;
          this.pending.delete(id);
          w.reject(new Error('The Sightline page that was capturing closed.'));
        }
        if (this.capturing === port) {
          this.capturing = undefined;
          onLost();
        }
      });
    });
  }

  /** Is a page connected (waiting up to `waitMs` for one, e.g. right after the background restarted)? */
  async hasHost(waitMs = 0): Promise<boolean> {
    if (this.hosts.size > 0 || waitMs <= 0) return this.hosts.size > 0;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, waitMs);
      this.connectWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
    return this.hosts.size > 0;
  }

  /** Sends to the page the person last used; it becomes the capturing page. */
  startOnEngagedHost<T>(command: Untargeted<OffscreenCommand>, timeoutMs: number): Promise<T> {
    const port = this.engagedHost();
    if (!port) return Promise.reject(new Error(NO_HOST_MESSAGE));
    this.capturing = port;
    return this.send<T>(port, command, timeoutMs);
  }

  /** Sends to the capturing page; undefined when no page is capturing. */
  toCapturing<T>(command: Untargeted<OffscreenCommand>, timeoutMs: number): Promise<T> | undefined {
    return this.capturing ? this.send<T>(this.capturing, command, timeoutMs) : undefined;
  }

  /** After a background restart: find the page whose capture is still running. */
  async findCapturing(timeoutMs: number): Promise<boolean> {
    for (const port of this.hosts.keys()) {
      const res = await this.send<{ active?: boolean }>(port, { type: 'status' }, timeoutMs).catch(() => undefined);
      if (res?.active) {
        this.capturing = port;
        return true;
      }
    }
    return false;
  }

  forgetCapturing(): void {
    this.capturing = undefined;
  }

  private engagedHost(): Port | undefined {
    const hosts = [...this.hosts];
    const engaged = hosts.filter(([, i]) => i.engagedAt > 0).sort((a, b) => b[1].engagedAt - a[1].engagedAt);
    if (engaged[0]) return engaged[0][0];
    return hosts.sort((a, b) => b[1].connectedAt - a[1].connectedAt)[0]?.[0];
  }

  private send<T>(port: Port, command: Untargeted<OffscreenCommand>, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    const message: BackgroundToHost = { type: 'command', id, command: { target: 'offscreen', ...command } as OffscreenCommand };
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the Sightline sidebar did not answer.'));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
        port,
      });
      try {
        port.postMessage(message);
      } catch (err) {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(err as Error);
      }
    });
  }
}
