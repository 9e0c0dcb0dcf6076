// Live messages in the order they arrived. A Live message in a binary WebSocket frame (as the SDK expects from
// Gemini, and as the stand-in sends) reaches a page as a Blob by default, and the official SDK reads each with its
// own `await blob.text()` (@google/genai 3.3 `handleWebSocketMessage`) before handing it on. Those reads need not
// finish in order: in Firefox 153 ESR, 11 of 200 rounds of six Blobs read at once finished out of order, and 41 of
// 50 rounds of 60 (measured Nov 30; Chromium 156: 0 of 200). The words of an answer sent in 30 pieces then showed
// out of order in 2 Firefox runs of 5 (tests/e2e/firefox-live.test.ts, "burst"); its audio chunks, a
// `turnComplete` or a close could overtake the messages before them the same way. With `binaryType =
// 'arraybuffer'` the SDK decodes each message synchronously (its ArrayBuffer branch), so every message reaches the
// conversation in arrival order, before the socket's close event (text frames were never affected: the SDK parses
// those at once).

const ORDERED = Symbol.for('sightline.orderedWebSocket');

/**
 * Makes the WebSockets this page opens from now on deliver binary frames as ArrayBuffers (see above). The SDK
 * opens its socket with `new WebSocket(url)` and offers no way to set `binaryType` (its socket factory is
 * private), so the page's `WebSocket` becomes a subclass that sets it; nothing else changes. Idempotent; does
 * nothing where there is no `WebSocket` (the SDK's Node build uses the `ws` package, which delivers Buffers in
 * order). Call it in the page that holds the Live socket before connecting.
 */
export function receiveBinaryInOrder(scope: { WebSocket?: typeof WebSocket } = globalThis): void {
  const Base = scope.WebSocket;
  if (!Base || (Base as unknown as Record<symbol, boolean>)[ORDERED]) return;
  class OrderedWebSocket extends Base {
    static readonly [ORDERED] = true;
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.binaryType = 'arraybuffer';
    }
  }
  scope.WebSocket = OrderedWebSocket;
}
