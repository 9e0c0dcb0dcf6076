/**
 * lib/live/ordered-socket.ts: the page's WebSocket delivers Gemini's binary frames as ArrayBuffers, so the SDK reads
 * each one synchronously and in arrival order (Firefox finished Blob reads out of order: see the file). Runs on
 * Node 22's own WebSocket (the WHATWG one browsers have) against a `ws` server sending what Gemini sends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { receiveBinaryInOrder } from '../../lib/live/ordered-socket.ts';

let server: WebSocketServer | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server that sends `n` binary JSON messages of alternating size (audio, then a bare transcript), then closes. */
async function burstServer(n: number): Promise<string> {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => server!.once('listening', r));
  server.on('connection', (ws) => {
    for (let i = 0; i < n; i++) {
      const msg = i % 2 ? { i, serverContent: { outputTranscription: { text: `w${i} ` } } } : { i, audio: 'A'.repeat(6400) };
      ws.send(Buffer.from(JSON.stringify(msg)));
    }
    ws.close(1000, 'done');
  });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Opens a socket with the scope's WebSocket and records what its onmessage and onclose saw, in order. */
function record(scope: { WebSocket?: typeof WebSocket }, url: string): Promise<{ kinds: Set<string>; order: (number | 'close')[] }> {
  return new Promise((resolve) => {
    const kinds = new Set<string>();
    const order: (number | 'close')[] = [];
    const ws = new scope.WebSocket!(url);
    ws.onmessage = (e: MessageEvent) => {
      kinds.add(e.data instanceof ArrayBuffer ? 'ArrayBuffer' : e.data instanceof Blob ? 'Blob' : typeof e.data);
      // What the SDK does with an ArrayBuffer: decode it now, no await (@google/genai handleWebSocketMessage).
      if (e.data instanceof ArrayBuffer) order.push((JSON.parse(new TextDecoder().decode(e.data)) as { i: number }).i);
    };
    ws.onclose = () => {
      order.push('close');
      resolve({ kinds, order });
    };
  });
}

describe('receiveBinaryInOrder', () => {
  it('delivers every binary frame as an ArrayBuffer, decoded in arrival order and before the close', async () => {
    const scope: { WebSocket?: typeof WebSocket } = { WebSocket: globalThis.WebSocket };
    receiveBinaryInOrder(scope);
    const { kinds, order } = await record(scope, await burstServer(60));
    expect([...kinds]).toEqual(['ArrayBuffer']);
    expect(order).toEqual([...Array.from({ length: 60 }, (_, i) => i), 'close']);
  });

  it('left alone, the same socket delivers Blobs (what the SDK reads with an await each)', async () => {
    const { kinds } = await record({ WebSocket: globalThis.WebSocket }, await burstServer(4));
    expect([...kinds]).toEqual(['Blob']);
  });

  it('keeps sockets what they were (instances of the page’s WebSocket), wraps once, and needs a WebSocket', () => {
    const scope: { WebSocket?: typeof WebSocket } = { WebSocket: globalThis.WebSocket };
    receiveBinaryInOrder(scope);
    const once = scope.WebSocket;
    receiveBinaryInOrder(scope);
    expect(scope.WebSocket).toBe(once);
    expect(Object.getPrototypeOf(once)).toBe(globalThis.WebSocket);
    expect(globalThis.WebSocket.OPEN).toBe(1);
    expect(once!.OPEN).toBe(1);
    const none: { WebSocket?: typeof WebSocket } = {};
    expect(() => receiveBinaryInOrder(none)).not.toThrow();
    expect(none.WebSocket).toBeUndefined();
  });
});
