/** The panel's port client: streaming deltas into the open turn, and surviving service-worker restarts. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPanelClient, type PanelClient } from '../../lib/panel/client.ts';
import { FakeWorker, makeState, makeTurn } from './fake-panel-port.ts';

let worker: FakeWorker;
let client: PanelClient;

beforeEach(() => {
  vi.useFakeTimers();
  worker = new FakeWorker();
  client = createPanelClient(worker.connect);
});
afterEach(() => {
  client.close();
  vi.useRealTimers();
});

describe('panel client', () => {
  it('shows the state the worker sends and streams deltas into the asked turn', () => {
    const seen: string[] = [];
    client.subscribe((v) => seen.push(v.state?.session.turns[0]?.answer ?? '-'));
    worker.emit({ type: 'state', state: makeState({ turns: [makeTurn()] }) });
    expect(client.get().connection).toBe('open');
    // The first words come in the turn (the worker sets status and firstTokenAt), later ones as deltas.
    worker.emit({ type: 'turn', turn: makeTurn({ answer: 'The page ', status: 'streaming', firstTokenAt: 1_500 }) });
    worker.emit({ type: 'answer-delta', turnId: 't1', text: 'is **red**.' });
    const turn = client.get().state?.session.turns[0];
    expect(turn?.answer).toBe('The page is **red**.');
    expect(turn?.status).toBe('streaming');
    expect(turn?.firstTokenAt).toBe(1_500);
    expect(seen).toEqual(['', 'The page ', 'The page is **red**.']);
  });

  it('adds new turns and replaces a turn the worker finished', () => {
    worker.emit({ type: 'state', state: makeState() });
    worker.emit({ type: 'turn', turn: makeTurn() });
    worker.emit({ type: 'answer-delta', turnId: 't1', text: 'Red' });
    worker.emit({ type: 'turn', turn: makeTurn({ answer: 'Red.', status: 'done' }) });
    worker.emit({ type: 'turn', turn: makeTurn({ id: 't2', question: 'And now?' }) });
    const turns = client.get().state?.session.turns;
    expect(turns?.map((t) => [t.id, t.answer, t.status])).toEqual([
      ['t1', 'Red.', 'done'],
      ['t2', '', 'waiting'],
    ]);
  });

  it('ignores deltas for a turn it does not know', () => {
    worker.emit({ type: 'state', state: makeState({ turns: [makeTurn()] }) });
    worker.emit({ type: 'answer-delta', turnId: 'other', text: 'x' });
    expect(client.get().state?.session.turns.map((t) => t.answer)).toEqual(['']);
  });

  it('shows the thumbnail the worker sends, until the worker clears it', () => {
    worker.emit({ type: 'state', state: makeState({ sharing: { status: 'on', source: 'tab', label: 'Slides' } }) });
    worker.emit({ type: 'thumbnail', thumbnail: { dataUrl: 'data:image/jpeg;base64,AA==', capturedAt: 5 } });
    expect(client.get().thumbnail?.dataUrl).toBe('data:image/jpeg;base64,AA==');
    worker.emit({ type: 'thumbnail' });
    expect(client.get().thumbnail).toBeUndefined();
  });

  it('sends commands over the port', () => {
    client.send({ type: 'ask', text: 'What is this?' });
    client.send({ type: 'stop-answer' });
    expect(worker.received).toEqual([{ type: 'ask', text: 'What is this?' }, { type: 'stop-answer' }]);
  });

  it('reconnects when the service worker stops, and takes the state it sends again', () => {
    worker.emit({ type: 'state', state: makeState({ turns: [makeTurn({ answer: 'Half', status: 'streaming' })] }) });
    worker.current.drop();
    expect(client.get().connection).toBe('reconnecting');
    // The conversation stays on screen while reconnecting.
    expect(client.get().state?.session.turns[0]?.answer).toBe('Half');
    vi.advanceTimersByTime(100);
    expect(worker.ports).toHaveLength(2);
    worker.emit({ type: 'state', state: makeState({ turns: [makeTurn({ answer: 'Half', status: 'stopped' })] }) });
    expect(client.get().connection).toBe('open');
    expect(client.get().state?.session.turns[0]?.status).toBe('stopped');
  });

  it('holds a command sent while disconnected and delivers it on reconnect', () => {
    worker.current.drop();
    client.send({ type: 'ask', text: 'Still there?' });
    expect(worker.received).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(worker.received).toEqual([{ type: 'ask', text: 'Still there?' }]);
  });

  it('a port that died silently: the failed send reconnects and is delivered', () => {
    worker.current.closed = true; // postMessage throws, no disconnect event seen yet
    client.send({ type: 'pause' });
    vi.advanceTimersByTime(100);
    expect(worker.received).toEqual([{ type: 'pause' }]);
  });

  it('backs off while connecting keeps failing, then recovers', () => {
    worker.refuseConnections = true;
    worker.current.drop();
    vi.advanceTimersByTime(10_000);
    const attempts = worker.ports.length;
    expect(client.get().connection).toBe('reconnecting');
    worker.refuseConnections = false;
    vi.advanceTimersByTime(2_000);
    expect(worker.ports.length).toBe(attempts + 1);
    worker.emit({ type: 'state', state: makeState() });
    expect(client.get().connection).toBe('open');
  });

  it('stops reconnecting once closed', () => {
    client.close();
    worker.ports[0]!.drop();
    vi.advanceTimersByTime(10_000);
    expect(worker.ports).toHaveLength(1);
  });
});
