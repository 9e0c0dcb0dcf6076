// Live messages in the order they arrived. Gemini sends each Live message as a binary WebSocket frame, which a
// browser delivers as a Blob by default, and the official SDK reads each with its own `await blob.text()`
// (@google/genai 3.3 `handleWebSocketMessage`) before handing it on. Those reads need not finish in order:
// in Firefox 153 ESR, 11 of 200 rounds of six Blobs read at once finished out of order, and 41 of 50 rounds of 60
// (measured Nov 30; Chromium 156: 0 of 200). An answer's transcript then read "again.Back ", its audio played out
// of order, a `turnComplete` overtook the last words, or a close overtook the messages before it. With
// `binaryType = 'arraybuffer'` the SDK decodes each message synchronously (its ArrayBuffer branch), so every
// message reaches the conversation in arrival order, before the socket's close event.

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
