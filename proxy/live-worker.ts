// Cloudflare Workers' WebSocket support for the Live relay (live.ts): a WebSocketPair answers the
// client's upgrade with 101, and Gemini's socket is opened with `fetch(url, {Upgrade: websocket})`
// (https://developers.cloudflare.com/workers/runtime-apis/websockets/, "Using the WebSockets API" and
// "WebSocket client"). Only the slice of the Workers API used here is typed, as in worker.ts.
import type { LivePlatform, RelaySocket } from './live.ts';

/** A Workers WebSocket: the standard one plus accept(). */
interface CfWebSocket {
  accept(): void;
  /** Newer compatibility dates deliver binary frames as Blobs unless this says 'arraybuffer'. */
  binaryType?: string;
  send(data: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', fn: (e: { data: string | ArrayBuffer }) => void): void;
  addEventListener(type: 'close', fn: (e: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', fn: () => void): void;
}

const WebSocketPair = (globalThis as unknown as { WebSocketPair?: new () => { 0: CfWebSocket; 1: CfWebSocket } }).WebSocketPair;

function quietClose(ws: CfWebSocket, code: number, reason: string): void {
  try { ws.close(code, reason); } catch { /* already closed */ }
}

/** The Live relay's Workers platform. */
export function workerLivePlatform(): LivePlatform {
  return {
    accept(_c, attach) {
      if (!WebSocketPair) return new Response(null, { status: 500 });
      const pair = new WebSocketPair();
      const [client, server] = [pair[0], pair[1]];
      server.accept();
      server.binaryType = 'arraybuffer';
      let closed = false;
      const socket: RelaySocket = {
        send: (data) => { if (!closed) server.send(data); },
        close: (code, reason) => { closed = true; quietClose(server, code, reason); },
      };
      const handlers = attach(socket);
      server.addEventListener('message', (e) => handlers.onMessage(e.data));
      server.addEventListener('close', (e) => {
        // Answer the client's close frame (Workers do not always do it for us), then report it.
        if (!closed) { closed = true; quietClose(server, e.code === 1005 ? 1000 : e.code, e.reason); }
        handlers.onClose(e.code, e.reason);
      });
      server.addEventListener('error', () => handlers.onClose(1006, ''));
      return new Response(null, { status: 101, webSocket: client } as ResponseInit);
    },

    connect(url, handlers) {
      let ws: CfWebSocket | null = null;
      let early: { code: number; reason: string } | null = null;
      let reported = false;
      const report = (code: number, reason: string) => { if (!reported) { reported = true; handlers.onClose(code, reason); } };
      // fetch() takes http(s) URLs; the Upgrade header makes it a WebSocket handshake.
      fetch(url.replace(/^ws/, 'http'), { headers: { Upgrade: 'websocket' } }).then((res) => {
        const sock = (res as Response & { webSocket?: CfWebSocket | null }).webSocket;
        if (!sock) return report(1006, `Gemini answered the upgrade with HTTP ${res.status}.`);
        sock.accept();
        sock.binaryType = 'arraybuffer';
        ws = sock;
        if (early) { quietClose(sock, early.code, early.reason); return report(early.code, early.reason); }
        sock.addEventListener('message', (e) => handlers.onMessage(e.data));
        sock.addEventListener('close', (e) => report(e.code, e.reason));
        sock.addEventListener('error', () => report(1006, ''));
        handlers.onOpen();
      }, () => report(1006, ''));
      return {
        send: (data) => ws?.send(data),
        close: (code, reason) => { if (ws) quietClose(ws, code, reason); else early = { code, reason }; },
      };
    },
  };
}
