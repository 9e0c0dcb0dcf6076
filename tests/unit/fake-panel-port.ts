/** Test double: the service worker's end of PANEL_PORT, recording what the panel sent. */
import type { PanelCommand, PanelEvent, PanelState } from '../../lib/protocol/messages.ts';
import type { PanelPort } from '../../lib/panel/client.ts';
import type { Turn } from '../../lib/core/types.ts';

export class FakeWorker {
  ports: FakePort[] = [];
  /** Commands received over every port, in order. */
  received: PanelCommand[] = [];
  /** When set, connect() throws (the extension is reloading). */
  refuseConnections = false;

  connect = (): PanelPort => {
    if (this.refuseConnections) throw new Error('Extension context invalidated.');
    const port = new FakePort(this);
    this.ports.push(port);
    return port;
  };

  get current(): FakePort {
    const port = this.ports.at(-1);
    if (!port || port.closed) throw new Error('no open port');
    return port;
  }

  emit(event: PanelEvent): void {
    this.current.deliver(event);
  }
}

export class FakePort implements PanelPort {
  closed = false;
  private messageListeners: ((m: unknown) => void)[] = [];
  private disconnectListeners: (() => void)[] = [];
  private worker: FakeWorker;
  constructor(worker: FakeWorker) {
    this.worker = worker;
  }
  onMessage = { addListener: (l: (m: unknown) => void) => void this.messageListeners.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.disconnectListeners.push(l) };
  postMessage(message: unknown): void {
    if (this.closed) throw new Error('Attempting to use a disconnected port object');
    this.worker.received.push(message as PanelCommand);
  }
  disconnect(): void {
    this.closed = true;
  }
  deliver(event: PanelEvent): void {
    for (const l of this.messageListeners) l(structuredClone(event));
  }
  /** The worker side goes away (service worker stopped). */
  drop(): void {
    this.closed = true;
    for (const l of this.disconnectListeners) l();
  }
}

export function makeTurn(over: Partial<Turn> = {}): Turn {
  return { id: 't1', question: 'What colour is the page?', askedAt: 1_000, answer: '', status: 'waiting', ...over };
}

/**
 * A state as the service worker sends it. Like the worker, it names the last turn open while that turn is
 * waiting or streaming, unless `openTurnId` says otherwise.
 */
export function makeState(
  over: { turns?: Turn[]; sharing?: PanelState['sharing']; notice?: PanelState['notice']; openTurnId?: string } = {},
): PanelState {
  const last = over.turns?.at(-1);
  const open = last && (last.status === 'waiting' || last.status === 'streaming') ? last.id : undefined;
  return {
    sharing: over.sharing ?? { status: 'off' },
    openTurnId: 'openTurnId' in over ? over.openTurnId : open,
    notice: over.notice,
    session: {
      id: 's1',
      createdAt: 0,
      updatedAt: 0,
      title: '',
      turns: over.turns ?? [],
      summarizedTurns: 0,
      usage: { promptTokens: 0, answerTokens: 0 },
      framesKept: 0,
      framesDropped: 0,
      frameCount: 0,
    },
  };
}
