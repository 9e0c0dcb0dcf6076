// A stand-in for Google's Live API, speaking BidiGenerateContent over a WebSocket the way the
// official SDK (`ai.live.connect`) expects (https://ai.google.dev/api/live, platform-facts.md):
// `/ws/google.ai.generativelanguage.{ver}.GenerativeService.BidiGenerateContent?key=KEY` (or
// `...Constrained?access_token=auth_tokens/...`), `setup` -> `{"setupComplete":{}}`, realtimeInput
// audio/video/text recorded, answers as `serverContent` with 24 kHz PCM audio parts plus
// transcriptions, `turnComplete` with usageMetadata, `sessionResumptionUpdate` handles, and on demand
// `interrupted`, `goAway` and closes such as 1011. Server messages go as binary frames, as Google's do.
// Also `POST /v1alpha/auth_tokens` (ephemeral tokens). Test-only: never import from product code.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import type { WebSocketServerLike } from '@hono/node-server';
import { LiveConnection, type LiveServerSide, type MintedToken } from './fake-live-connection.ts';

export { LiveConnection, type AnswerOptions, type MintedToken } from './fake-live-connection.ts';

const { WebSocketServer } = createRequire(import.meta.url)('ws') as {
  WebSocketServer: new (o: { noServer: true }) => WebSocketServerLike;
};

const PATH = /^\/+ws\/google\.ai\.generativelanguage\.(v1|v1beta|v1alpha)\.GenerativeService\.(BidiGenerateContent|BidiGenerateContentConstrained)$/;

export interface FakeLiveOptions {
  /** The one key `BidiGenerateContent` accepts (default 'real-gemini-key-never-shown'). */
  apiKey?: string;
  /** Answer text, `audioStreamEnd` and `clientContent.turnComplete` by describing what arrived (default true). */
  autoAnswer?: boolean;
  /** Model names (without `models/`) it serves; any when unset. */
  models?: string[];
  setupDelayMs?: number;
}

export class FakeLiveServer implements LiveServerSide {
  url = '';
  readonly connections: LiveConnection[] = [];
  readonly tokens: MintedToken[] = [];
  /** Resumption handles and the context tokens they carry. */
  readonly handles = new Map<string, number>();
  readonly apiKey: string;
  autoAnswer: boolean;
  models: string[] | undefined;
  setupDelayMs: number;
  private nextHandle = 1;
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];
  private readonly http = createServer((req, res) => void this.rest(req, res));
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<Socket>();

  constructor(opts: FakeLiveOptions = {}) {
    this.apiKey = opts.apiKey ?? 'real-gemini-key-never-shown';
    this.autoAnswer = opts.autoAnswer ?? true;
    this.models = opts.models;
    this.setupDelayMs = opts.setupDelayMs ?? 5;
    this.http.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    this.http.on('upgrade', (req, socket, head) => this.upgrade(req, socket as Socket, head));
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.http.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
    return this;
  }

  get last(): LiveConnection | undefined { return this.connections.at(-1); }

  newHandle(conn: LiveConnection): string {
    const h = `handle-${this.nextHandle++}`;
    this.handles.set(h, conn.contextTokens);
    return h;
  }

  /** Resolves when `pred` holds; re-checked on every connection event and message. */
  until(pred: () => boolean, timeoutMs = 5000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: () => { clearTimeout(t); resolve(); } };
      const t = setTimeout(() => { this.waiters = this.waiters.filter((x) => x !== w); reject(new Error('fake-live: condition not met in time')); }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** The n-th connection (1-based), once it exists. */
  async connection(n: number, timeoutMs = 5000): Promise<LiveConnection> {
    await this.until(() => this.connections.length >= n, timeoutMs);
    return this.connections[n - 1]!;
  }

  private poke(): void {
    for (const w of [...this.waiters]) if (w.pred()) { this.waiters = this.waiters.filter((x) => x !== w); w.resolve(); }
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const m = PATH.exec(new URL(`http://x${req.url ?? '/'}`).pathname);
    if (!m) { socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'); return; }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new LiveConnection(this, ws, req, m, this.connections.length + 1);
      this.connections.push(conn);
      ws.on('message', (data) => {
        try { conn.receive(JSON.parse(Buffer.from(data as Uint8Array).toString('utf8')) as Record<string, unknown>); } catch { conn.fail(1007, 'Invalid JSON payload received.'); }
        this.poke();
      });
      ws.on('close', (code, reason) => {
        conn.closed ??= { code, reason: Buffer.from(reason).toString('utf8'), by: 'client' };
        this.poke();
      });
      if (!this.credentialOk(conn)) conn.fail(1008, 'API key not valid. Please pass a valid API key.');
      this.poke();
    });
  }

  private credentialOk(conn: LiveConnection): boolean {
    if (conn.method === 'BidiGenerateContent') return conn.credentialKind !== 'access_token' && conn.credential === this.apiKey;
    const token = this.tokens.find((t) => t.name === conn.credential);
    if (!token || token.uses <= 0) return false;
    token.uses--;
    return true;
  }

  private async rest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || !/^\/+v1alpha\/auth_tokens$/.test(new URL(`http://x${req.url ?? '/'}`).pathname)) {
      return reply(404, { error: { code: 404, message: 'Not found.', status: 'NOT_FOUND' } });
    }
    const apiKey = String(req.headers['x-goog-api-key'] ?? '');
    if (apiKey !== this.apiKey) {
      return reply(400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] } });
    }
    const request = JSON.parse(body || '{}') as Record<string, unknown>;
    const name = `auth_tokens/${Math.random().toString(36).slice(2)}`;
    this.tokens.push({ name, uses: Number(request.uses ?? 1) || 1, request, apiKey });
    reply(200, { name, ...request });
  }

  async close(): Promise<void> {
    for (const c of this.connections) if (!c.closed) c.fail(1001, 'Server shutting down.');
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}

/** Starts a stand-in Live server on 127.0.0.1 (a free port). */
export function startFakeLive(opts: FakeLiveOptions = {}): Promise<FakeLiveServer> {
  return new FakeLiveServer(opts).listen();
}
