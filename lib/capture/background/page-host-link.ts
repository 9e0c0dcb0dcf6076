/**
 * Firefox background side of CAPTURE_PORT: knows which extension pages can capture (the sidebar, or the panel
 * opened as a tab), sends a command to one of them and returns its typed reply. The page the person last used
 * gets a new capture, or a new Live conversation; later commands go to the page that runs it.
 */
import type { CaptureCommands, CaptureEvent, StartCapture, StartLive, StartLiveReply, StartReply } from '../../protocol/capture.ts';
import type { ReplyOf, RequestOf } from '../../messaging/rpc.ts';
import { acceptCaptureHosts, type HostConnection, type HostConnections } from '../../messaging/capture-port.ts';

export const NO_HOST_MESSAGE =
  'Open the Sightline sidebar first: in Firefox the camera and the screen are captured by the sidebar.';

export const NO_LIVE_HOST_MESSAGE = 'Open the Sightline sidebar first: in Firefox the voice conversation runs in the sidebar.';

/** Every call passes its own timeout; this is only the fallback. */
const DEFAULT_TIMEOUT_MS = 15_000;

type Command = keyof CaptureCommands & string;

export class PageHostLink {
  private hosts: HostConnections;
  private capturing: HostConnection | undefined;
  private talking: HostConnection | undefined;

  /**
   * `onEvent` receives what captures in any page report; `onLost` is called when the page running a capture
   * goes away (sidebar closed, page reloaded), `onLiveLost` when the page holding the Live conversation does.
   * Construct it when the background starts, synchronously.
   */
  constructor(onEvent: (event: CaptureEvent) => void, onLost: () => void, onLiveLost: () => void = () => {}) {
    this.hosts = acceptCaptureHosts({
      timeoutMs: DEFAULT_TIMEOUT_MS,
      closedMessage: 'The Sightline page that was capturing closed.',
      timeoutMessage: () => 'the Sightline sidebar did not answer.',
      onEvent,
      onGone: (host) => {
        if (this.talking === host) {
          this.talking = undefined;
          onLiveLost();
        }
        if (this.capturing !== host) return;
        this.capturing = undefined;
        onLost();
      },
    });
  }

  /** Is a page connected (waiting up to `waitMs` for one, e.g. right after the background restarted)? */
  hasHost(waitMs = 0): Promise<boolean> {
    return this.hosts.whenConnected(waitMs);
  }

  /** Starts a capture on the page the person last used, which becomes the capturing page. */
  startOnEngagedHost(request: StartCapture, timeoutMs: number): Promise<StartReply> {
    const host = this.engagedHost();
    if (!host) return Promise.reject(new Error(NO_HOST_MESSAGE));
    this.capturing = host;
    return host.commands.call('start', request, { timeoutMs });
  }

  /** Sends a command to the capturing page; undefined when no page is capturing. */
  toCapturing<K extends Command>(name: K, request: RequestOf<CaptureCommands, K>, timeoutMs: number): Promise<ReplyOf<CaptureCommands, K>> | undefined {
    return this.capturing?.commands.call(name, request, { timeoutMs });
  }

  /** After a background restart: find the page whose capture is still running. */
  async findCapturing(timeoutMs: number): Promise<boolean> {
    for (const host of this.hosts.list()) {
      const status = await host.commands.call('status', undefined, { timeoutMs }).catch(() => undefined);
      if (status?.active) {
        this.capturing = host;
        return true;
      }
    }
    return false;
  }

  forgetCapturing(): void {
    this.capturing = undefined;
  }

  /** Opens the Live conversation in the page the person last used, which then holds it. */
  startLiveOnEngagedHost(request: StartLive, timeoutMs: number): Promise<StartLiveReply> {
    const host = this.engagedHost();
    if (!host) return Promise.reject(new Error(NO_LIVE_HOST_MESSAGE));
    this.talking = host;
    return host.commands.call('start-live', request, { timeoutMs });
  }

  /** Sends a command to the page holding the Live conversation; undefined when none does. */
  toTalking<K extends Command>(name: K, request: RequestOf<CaptureCommands, K>, timeoutMs: number): Promise<ReplyOf<CaptureCommands, K>> | undefined {
    return this.talking?.commands.call(name, request, { timeoutMs });
  }

  /** A page holds the Live conversation. */
  get isTalking(): boolean {
    return this.talking !== undefined;
  }

  /** After a background restart: find the page whose Live conversation is still running. */
  async findTalking(timeoutMs: number): Promise<boolean> {
    for (const host of this.hosts.list()) {
      const status = await host.commands.call('status', undefined, { timeoutMs }).catch(() => undefined);
      if (status?.live) {
        this.talking = host;
        return true;
      }
    }
    return false;
  }

  forgetTalking(): void {
    this.talking = undefined;
  }

  private engagedHost(): HostConnection | undefined {
    const hosts = this.hosts.list();
    const engaged = hosts.filter((h) => h.engagedAt > 0).sort((a, b) => b.engagedAt - a.engagedAt);
    return engaged[0] ?? hosts.sort((a, b) => b.connectedAt - a.connectedAt)[0];
  }
}
