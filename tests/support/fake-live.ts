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
import type { WebSocketLike, WebSocketServerLike } from '@hono/node-server';

const { WebSocketServer } = createRequire(import.meta.url)('ws') as {
  WebSocketServer: new (o: { noServer: true }) => WebSocketServerLike;
};

const PATH = /^\/+ws\/google\.ai\.generativelanguage\.(v1|v1beta|v1alpha)\.GenerativeService\.(BidiGenerateContent|BidiGenerateContentConstrained)$/;
/** Tokens per second of audio, per video frame, per 4 characters of text (roughly Gemini's rates). */
const AUDIO_TPS = 25;
const FRAME_TOKENS = 258;

export interface AnswerOptions {
  /** The answer's transcription; split into one piece per audio chunk. */
  text?: string;
  /** Audio chunks to send (default 3), each `chunkMs` long (default 100). */
  chunks?: number;
  chunkMs?: number;
  /** Delay between chunks (default 5 ms). */
  delayMs?: number;
}

/** One minted ephemeral token and the request that made it. */
export interface MintedToken { name: string; uses: number; request: Record<string, unknown>; apiKey: string }

export class LiveConnection {
  readonly id: number;
  readonly version: string;
  readonly method: string;
  /** The credential presented (`key=`, `access_token=` or `x-goog-api-key`), and how. */
  readonly credential: string;
  readonly credentialKind: 'key' | 'access_token' | 'header' | 'none';
  readonly headers: Record<string, string>;
  setup: Record<string, unknown> | null = null;
  resumedFrom: string | null = null;
  readonly messages: Record<string, unknown>[] = [];
  readonly audio: { mimeType: string; bytes: number }[] = [];
  readonly video: { mimeType: string; bytes: number }[] = [];
  readonly texts: string[] = [];
  closed: { code: number; reason: string; by: 'client' | 'server' } | null = null;
  /** Context tokens so far (prompt of the next turn). */
  contextTokens = 0;
  private answering = 0;
  private readonly fake: FakeLiveServer;
  private readonly ws: WebSocketLike;

  constructor(fake: FakeLiveServer, ws: WebSocketLike, req: IncomingMessage, m: RegExpExecArray, id: number) {
    this.fake = fake;
    this.ws = ws;
    this.id = id;
    this.version = m[1]!;
    this.method = m[2]!;
    const url = new URL(`http://x${req.url ?? '/'}`);
    const header = String(req.headers['x-goog-api-key'] ?? '');
    const key = url.searchParams.get('key');
    const token = url.searchParams.get('access_token');
    this.credentialKind = key ? 'key' : token ? 'access_token' : header ? 'header' : 'none';
    this.credential = key ?? token ?? header;
    this.headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
  }

  /** Sends one server message (JSON, binary frame). */
  send(msg: unknown): void {
    if (this.ws.readyState === 1) this.ws.send(Buffer.from(JSON.stringify(msg)));
  }

  /** Closes from the server side (1011 with Google's wording by default). */
  fail(code = 1011, reason = 'Internal error encountered.'): void {
    if (this.closed) return;
    this.closed = { code, reason, by: 'server' };
    this.ws.close(code, reason);
  }

  inputTranscription(text: string): void { this.send({ serverContent: { inputTranscription: { text } } }); }

  /** Barge-in: the answer in progress stops and the client is told `interrupted`. */
  interrupt(): void {
    this.answering++;
    this.send({ serverContent: { interrupted: true } });
  }

  /** `goAway` with `timeLeft`; the connection closes (1000) when the time is up unless the client left. */
  goAway(timeLeftMs: number): void {
    this.send({ goAway: { timeLeft: `${timeLeftMs / 1000}s` } });
    setTimeout(() => this.fail(1000, 'Connection lifetime reached.'), timeLeftMs).unref();
  }

  /** Answers: audio chunks (24 kHz PCM) with transcription pieces, then turnComplete + usage + a handle. */
  async answer(opts: AnswerOptions = {}): Promise<void> {
    const run = ++this.answering;
    const chunks = opts.chunks ?? 3;
    const chunkMs = opts.chunkMs ?? 100;
    const words = (opts.text ?? 'Here is what I see.').split(/(?<= )/);
    const per = Math.ceil(words.length / chunks);
    const pcm = tone(chunkMs);
    for (let i = 0; i < chunks; i++) {
      if (run !== this.answering || this.closed) return; // interrupted or gone
      const piece = words.slice(i * per, (i + 1) * per).join('');
      this.send({
        serverContent: {
          modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data: pcm } }] },
          ...(piece ? { outputTranscription: { text: piece } } : {}),
        },
      });
      await new Promise((r) => setTimeout(r, opts.delayMs ?? 5));
    }
    if (run !== this.answering || this.closed) return;
    const response = Math.ceil((chunks * chunkMs * AUDIO_TPS) / 1000) + Math.ceil((opts.text ?? '').length / 4);
    const prompt = this.contextTokens;
    this.contextTokens += response;
    this.send({ serverContent: { generationComplete: true } });
    this.send({
      serverContent: { turnComplete: true },
      usageMetadata: { promptTokenCount: prompt, responseTokenCount: response, totalTokenCount: prompt + response },
    });
    this.sendHandle();
  }

  sendHandle(): void {
    if (this.setup && 'sessionResumption' in this.setup) {
      this.send({ sessionResumptionUpdate: { newHandle: this.fake.newHandle(this), resumable: true } });
    }
  }

  /** Resolves when `pred` holds (checked on every client message), or rejects after `timeoutMs`. */
  waitFor(pred: (c: LiveConnection) => boolean, timeoutMs = 5000): Promise<void> {
    return this.fake.until(() => pred(this), timeoutMs);
  }

  /** @internal One client message. */
  receive(msg: Record<string, unknown>): void {
    if (!this.setup) return this.onSetup(msg);
    this.messages.push(msg);
    const rt = msg.realtimeInput as Record<string, { data?: string; mimeType?: string } | string | boolean> | undefined;
    const cc = msg.clientContent as { turns?: { parts?: { text?: string }[] }[]; turnComplete?: boolean } | undefined;
    if (rt && 'mediaChunks' in rt) return this.fail(1007, 'realtimeInput.mediaChunks is deprecated. Use audio, video or text.');
    const blob = (b: unknown) => ({ mimeType: String((b as { mimeType?: string }).mimeType), bytes: Buffer.from(String((b as { data?: string }).data ?? ''), 'base64').length });
    if (rt?.audio) { const a = blob(rt.audio); this.audio.push(a); this.contextTokens += (a.bytes / 32000) * AUDIO_TPS; }
    if (rt?.video) { this.video.push(blob(rt.video)); this.contextTokens += FRAME_TOKENS; }
    const typed = typeof rt?.text === 'string' ? [rt.text] : (cc?.turns ?? []).flatMap((t) => (t.parts ?? []).map((p) => p.text ?? ''));
    for (const t of typed) { this.texts.push(t); this.contextTokens += Math.ceil(t.length / 4); }
    const ask = typeof rt?.text === 'string' || rt?.audioStreamEnd === true || cc?.turnComplete === true;
    if (ask && this.fake.autoAnswer) void this.answer({ text: this.describe() });
  }

  /** The default answer describes what arrived, so a test can tell. */
  describe(): string {
    const ms = Math.round(this.audio.reduce((n, a) => n + a.bytes, 0) / 32);
    return `I heard ${ms} ms of audio and saw ${this.video.length} frame(s). You said: ${this.texts.at(-1) ?? '(nothing typed)'}`;
  }

  private onSetup(msg: Record<string, unknown>): void {
    const setup = msg.setup as Record<string, unknown> | undefined;
    if (!setup) return this.fail(1007, 'Request contains an invalid argument.');
    const model = String(setup.model ?? '');
    if (!model.startsWith('models/') || (this.fake.models && !this.fake.models.includes(model.slice(7)))) {
      return this.fail(1008, `${model} is not found for API version ${this.version}, or is not supported for bidiGenerateContent.`);
    }
    const handle = (setup.sessionResumption as { handle?: string } | undefined)?.handle;
    if (handle) {
      const from = this.fake.handles.get(handle);
      if (from === undefined) return this.fail(1008, 'Invalid session resumption handle.');
      this.resumedFrom = handle;
      this.contextTokens = from;
    }
    this.setup = setup;
    setTimeout(() => {
      this.send({ setupComplete: {} });
      this.sendHandle();
    }, this.fake.setupDelayMs);
  }
}

/** A 24 kHz 440 Hz tone of `ms` milliseconds as base64 16-bit PCM. */
function tone(ms: number): string {
  const n = Math.round((24000 * ms) / 1000);
  const buf = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24000)), i * 2);
  return buf.toString('base64');
}

export interface FakeLiveOptions {
  /** The one key `BidiGenerateContent` accepts (default 'real-gemini-key-never-shown'). */
  apiKey?: string;
  /** Answer text, `audioStreamEnd` and `clientContent.turnComplete` by describing what arrived (default true). */
  autoAnswer?: boolean;
  /** Model names (without `models/`) it serves; any when unset. */
  models?: string[];
  setupDelayMs?: number;
}

export class FakeLiveServer {
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
