// Node's WebSocket support for the Live relay (live.ts): @hono/node-server accepts the client's
// upgrade (it needs a `ws` WebSocketServer in noServer mode: createAdaptorServer's `websocket` option),
// and a `ws` client opens Gemini's socket. `ws` is CommonJS: loaded with createRequire and typed by the small
// interfaces below (only what the relay uses).
import { createRequire } from 'node:module';
import { upgradeWebSocket, type WebSocketServerLike } from '@hono/node-server';
import type { LivePlatform, RelaySocket, SocketHandlers } from './live.ts';

interface WsClient {
  readonly readyState: number;
  send(data: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', fn: () => void): void;
  on(event: 'message', fn: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): void;
  on(event: 'close', fn: (code: number, reason: Buffer) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
}
interface WsModule {
  WebSocketServer: new (opts: { noServer: true; maxPayload: number }) => WebSocketServerLike & { clients: Set<WsClient> };
  WebSocket: new (url: string, opts: { maxPayload: number }) => WsClient;
}

const ws = createRequire(import.meta.url)('ws') as WsModule;
const OPEN = 1;

/** A `ws` message as the relay takes it: text as a string, binary as an ArrayBuffer. */
function asRelayData(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): string | ArrayBuffer {
  const buf = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
  if (!isBinary) return buf.toString('utf8');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Closing can throw on a socket that is already closing; the close event follows either way. */
function safeClose(sock: WsClient, code: number, reason: string): void {
  try {
    if (sock.readyState === 0) sock.terminate();
    else sock.close(code, reason);
  } catch { /* already closed */ }
}

/** The Live relay's Node platform, plus the WebSocketServer to hand to createAdaptorServer. */
export interface NodeLive {
  server: WebSocketServerLike;
  platform: LivePlatform;
  /** Closes every Live socket, both sides (on shutdown: clients resume elsewhere). */
  closeAll(code: number, reason: string): void;
}

/** `maxPayload`: largest frame accepted from a client or from Gemini, in bytes. */
export function nodeLive(maxPayload: number): NodeLive {
  const server = new ws.WebSocketServer({ noServer: true, maxPayload });
  const upstreams = new Set<WsClient>();
  const platform: LivePlatform = {
    async accept(c, attach) {
      let handlers: SocketHandlers | null = null;
      const res = await upgradeWebSocket(c, {
        onOpen(_event, socket) {
          const client: RelaySocket = {
            send: (data) => { if (socket.readyState === OPEN) socket.send(data); },
            close: (code, reason) => { try { socket.close(code, reason); } catch { /* closing already */ } },
          };
          handlers = attach(client);
        },
        onMessage(event) { handlers?.onMessage(event.data as string | ArrayBuffer); },
        onClose(event) { handlers?.onClose(event.code, event.reason); },
      });
      return res ?? new Response(null, { status: 500 });
    },
    connect(url, handlers) {
      const sock = new ws.WebSocket(url, { maxPayload });
      upstreams.add(sock);
      let closed = false;
      sock.on('open', () => handlers.onOpen());
      sock.on('message', (data, isBinary) => handlers.onMessage(asRelayData(data, isBinary)));
      sock.on('close', (code, reason) => {
        upstreams.delete(sock);
        if (closed) return;
        closed = true;
        handlers.onClose(code, reason.toString('utf8'));
      });
      // The error's text may name the host; it is not passed on. A close event follows.
      sock.on('error', () => {});
      return {
        send: (data) => { if (sock.readyState === OPEN) sock.send(data); },
        close: (code, reason) => safeClose(sock, code, reason),
      };
    },
  };
  return {
    server,
    platform,
    closeAll(code, reason) {
      const clients = (server as unknown as { clients: Set<WsClient> }).clients;
      for (const sock of clients) safeClose(sock, code, reason);
      for (const sock of upstreams) safeClose(sock, code, reason);
    },
  };
}
