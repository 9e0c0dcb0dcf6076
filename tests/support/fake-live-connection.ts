// One connection to the stand-in Live server (fake-live.ts): what the client sent, and the server's
// side of the conversation (answers, transcriptions, interrupted, goAway, closes). Test-only.
import type { IncomingMessage } from 'node:http';
import type { WebSocketLike } from '@hono/node-server';

/** Tokens per second of audio, per video frame (roughly Gemini's rates); text is 4 characters a token. */
const AUDIO_TPS = 25;
const FRAME_TOKENS = 258;

/** What a connection needs from its server. */
export interface LiveServerSide {
  autoAnswer: boolean;
  models: string[] | undefined;
  setupDelayMs: number;
  readonly handles: Map<string, number>;
  newHandle(conn: LiveConnection): string;
  until(pred: () => boolean, timeoutMs?: number): Promise<void>;
}

export interface AnswerOptions {
  /** The answer's transcription; split into one piece per audio chunk. */
  text?: string;
  /** Audio chunks to send (default 3), each `chunkMs` long (default 100). */
  chunks?: number;
  chunkMs?: number;
  /** Delay between chunks (default 5 ms). */
  delayMs?: number;
  /**
   * Each transcript piece in a message of its own after its audio chunk, as Gemini also sends them: a burst of
   * large and small binary frames (what Firefox once read out of order: lib/live/ordered-socket.ts).
   */
  separateTranscripts?: boolean;
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
  /** Audio received: its MIME type, size, receipt time (`performance.timeOrigin + performance.now()`, ms) and the first 40 base64 characters of its data. */
  readonly audio: { mimeType: string; bytes: number; at: number; head: string }[] = [];
  readonly video: { mimeType: string; bytes: number }[] = [];
  readonly texts: string[] = [];
  closed: { code: number; reason: string; by: 'client' | 'server' } | null = null;
  /** Context tokens so far (prompt of the next turn). */
  contextTokens = 0;
  private answering = 0;
  private readonly fake: LiveServerSide;
  private readonly ws: WebSocketLike;

  constructor(fake: LiveServerSide, ws: WebSocketLike, req: IncomingMessage, m: RegExpExecArray, id: number) {
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
      const audio = { modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data: pcm } }] } };
      if (opts.separateTranscripts) {
        this.send({ serverContent: audio });
        if (piece) this.send({ serverContent: { outputTranscription: { text: piece } } });
      } else {
        this.send({ serverContent: { ...audio, ...(piece ? { outputTranscription: { text: piece } } : {}) } });
      }
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
    const at = performance.timeOrigin + performance.now();
    if (!this.setup) return this.onSetup(msg);
    this.messages.push(msg);
    const rt = msg.realtimeInput as Record<string, { data?: string; mimeType?: string } | string | boolean> | undefined;
    const cc = msg.clientContent as { turns?: { parts?: { text?: string }[] }[]; turnComplete?: boolean } | undefined;
    if (rt && 'mediaChunks' in rt) return this.fail(1007, 'realtimeInput.mediaChunks is deprecated. Use audio, video or text.');
    const blob = (b: unknown) => ({ mimeType: String((b as { mimeType?: string }).mimeType), bytes: Buffer.from(String((b as { data?: string }).data ?? ''), 'base64').length });
    if (rt?.audio) {
      const a = { ...blob(rt.audio), at, head: String((rt.audio as { data?: string }).data ?? '').slice(0, 40) };
      this.audio.push(a); this.contextTokens += (a.bytes / 32000) * AUDIO_TPS;
    }
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

