// A stand-in for Google's Gemini REST API (generativelanguage.googleapis.com), speaking the real
// wire format: `/{version}/models/{model}:{method}`, SSE streams of `data: {json}` events with
// running-total usageMetadata, and Gemini's error JSON. Test-only: never import from product code.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DEFAULT_FAKE_MODELS, writeModelsPage, writeRecorded, type FakeModelInfo, type RecordedResponse } from './fake-gemini-replay.ts';

export type { FakeModelInfo, GeminiFixture, RecordedResponse } from './fake-gemini-replay.ts';

export interface RecordedRequest {
  method: string;
  /** Path plus query string, exactly as received. */
  path: string;
  /** Model name from the path (`gemini-flash-latest`), or '' when the path names none. */
  model: string;
  /** `:streamGenerateContent`, `:generateContent`, `:countTokens` without the colon, or ''. */
  action: string;
  /** The key the caller sent (`x-goog-api-key` header, or `?key=`). */
  apiKey: string;
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when the body is empty or not JSON). */
  body: unknown;
  bodyBytes: number;
  receivedAt: number;
  /** True when the client went away before the reply was complete. */
  aborted: boolean;
}

export interface FakeUsage { prompt: number; answer: number }

export type FakeReply =
  | { text: string[]; delayMs?: number; firstDelayMs?: number; usage?: FakeUsage }
  | { status: number; error: { message: string; status: string; details?: unknown[] }; headers?: Record<string, string>; gzip?: boolean }
  /** Any body as given (an HTML error page, a whole SSE body), gzip-compressed with `Content-Encoding: gzip` when asked. */
  | { status: number; raw: string | Uint8Array; contentType: string; gzip?: boolean; headers?: Record<string, string> }
  | { text: string[]; dropAfter: number; delayMs?: number }
  | { text: string[]; errorEventAfter: number; delayMs?: number }
  /** Replays a recorded response shape (tests/fixtures/gemini/*.json) exactly. */
  | { replay: RecordedResponse };

export type FakeResponder = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeGemini {
  url: string;
  requests: RecordedRequest[];
  respond(fn: FakeResponder): void;
  /** What `GET /{version}/models` (models.list) answers: a list (paged), or a recorded error. reset() restores the default. */
  setModels(models: FakeModelInfo[] | RecordedResponse): void;
  reset(): void;
  waitForRequest(pred?: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

const ROUTE = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/;
const MODELS_ROUTE = /^\/(v1|v1beta|v1alpha)\/models$/;
const IMAGE_TOKENS = 258;
const DEFAULT_DELAY_MS = 5;

interface Part { text?: string; inlineData?: unknown; fileData?: unknown }
interface Content { role?: string; parts?: Part[] }

function contentsOf(body: unknown): Content[] {
  const contents = (body as { contents?: unknown } | undefined)?.contents;
  return Array.isArray(contents) ? (contents as Content[]) : [];
}

/** Prompt tokens the way the real service roughly counts them: 258 per image, 4 characters per text token. */
export function countPromptTokens(body: unknown): number {
  let images = 0;
  let chars = 0;
  for (const content of contentsOf(body)) {
    for (const part of content.parts ?? []) {
      if (part.inlineData || part.fileData) images++;
      if (typeof part.text === 'string') chars += part.text.length;
    }
  }
  return images * IMAGE_TOKENS + Math.ceil(chars / 4);
}

export function countAnswerTokens(text: string[]): number {
  return Math.ceil(text.join('').length / 4);
}

/** The default answer describes the request, so a test can tell which frames and question arrived. */
export function describeRequest(body: unknown): string[] {
  const contents = contentsOf(body);
  let images = 0;
  for (const c of contents) for (const p of c.parts ?? []) if (p.inlineData || p.fileData) images++;
  const earlier = contents.filter((c) => c.role === 'model').length;
  const lastUser = [...contents].reverse().find((c) => c.role !== 'model');
  const question = (lastUser?.parts ?? []).map((p) => p.text ?? '').join(' ').trim();
  return [
    `I see ${images} image(s) `,
    `and ${earlier} earlier turn(s). `,
    `You asked: ${question || '(nothing)'}`,
  ];
}

const defaultResponder: FakeResponder = (req) => ({ text: describeRequest(req.body) });

function errorJson(code: number, message: string, status: string, details?: unknown[]): string {
  return JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } });
}

function chunkJson(model: string, text: string, usage: FakeUsage, answerSoFar: number, last: boolean): string {
  return JSON.stringify({
    candidates: [
      { content: { parts: [{ text }], role: 'model' }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 },
    ],
    usageMetadata: {
      promptTokenCount: usage.prompt,
      candidatesTokenCount: answerSoFar,
      totalTokenCount: usage.prompt + answerSoFar,
    },
    modelVersion: model,
    responseId: 'fake-response',
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function streamReply(res: ServerResponse, rec: RecordedRequest, reply: Exclude<FakeReply, { status: number } | { replay: RecordedResponse }>, sse: boolean) {
  const scripted = 'usage' in reply ? reply.usage : undefined;
  const usage = scripted ?? { prompt: countPromptTokens(rec.body), answer: countAnswerTokens(reply.text) };
  const delayMs = reply.delayMs ?? DEFAULT_DELAY_MS;
  const firstDelayMs = 'firstDelayMs' in reply && reply.firstDelayMs !== undefined ? reply.firstDelayMs : delayMs;
  const dropAfter = 'dropAfter' in reply ? reply.dropAfter : undefined;
  const errorAfter = 'errorEventAfter' in reply ? reply.errorEventAfter : undefined;
  const total = reply.text.length;
  const chunks: string[] = [];
  let answerChars = 0;
  res.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'application/json' });
  if (!sse) res.write('[');
  for (let i = 0; i < total; i++) {
    await sleep(i === 0 ? firstDelayMs : delayMs);
    if (res.destroyed) return;
    if (dropAfter !== undefined && i >= dropAfter) break;
    if (errorAfter !== undefined && i >= errorAfter) break;
    answerChars += reply.text[i]!.length;
    // Running total, reaching the scripted/derived answer count on the last chunk.
    const soFar = i === total - 1 ? usage.answer : Math.min(usage.answer, Math.ceil(answerChars / 4));
    const json = chunkJson(rec.model, reply.text[i]!, usage, soFar, i === total - 1);
    chunks.push(json);
    res.write(sse ? `data: ${json}\r\n\r\n` : `${i > 0 ? ',' : ''}${json}`);
  }
  if (dropAfter !== undefined) {
    // A connection cut mid-event: half an event, then the socket dies.
    res.write('data: {"candidates":[{"content":{"parts":[{"text":"cut');
    await sleep(5);
    res.socket?.destroy();
    return;
  }
  if (errorAfter !== undefined) {
    const err = errorJson(500, 'An internal error has occurred. Please retry or report.', 'INTERNAL');
    res.end(sse ? `data: ${err}\r\n\r\n` : `${chunks.length ? ',' : ''}${err}]`);
    return;
  }
  res.end(sse ? '' : ']');
}

async function handle(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, responder: FakeResponder, models: () => FakeModelInfo[] | RecordedResponse) {
  if (MODELS_ROUTE.test(rec.path.split('?')[0]!) && req.method === 'GET' && rec.apiKey) {
    const list = models();
    if (Array.isArray(list)) writeModelsPage(res, list, new URL(rec.path, 'http://x'));
    else await writeRecorded(res, list, false);
    return;
  }
  const match = ROUTE.exec(rec.path.split('?')[0]!);
  if (!match) {
    res.writeHead(404, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(errorJson(404, `Method not found: ${rec.path}`, 'NOT_FOUND'));
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(errorJson(405, 'Method not allowed.', 'METHOD_NOT_ALLOWED'));
    return;
  }
  if (!rec.apiKey) {
    res.writeHead(403, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(errorJson(403, 'Method doesn\'t allow unregistered callers. Please use API Key.', 'PERMISSION_DENIED'));
    return;
  }
  if (rec.body === undefined) {
    res.writeHead(400, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(errorJson(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT'));
    return;
  }
  const reply = await responder(rec);
  if ('replay' in reply) {
    const sse = new URL(rec.path, 'http://x').searchParams.get('alt') === 'sse';
    await writeRecorded(res, reply.replay, sse);
    return;
  }
  if ('status' in reply) {
    const text = 'raw' in reply ? reply.raw : errorJson(reply.status, reply.error.message, reply.error.status, reply.error.details);
    const body = reply.gzip ? gzipSync(text) : Buffer.from(text);
    res.writeHead(reply.status, {
      'content-type': 'raw' in reply ? reply.contentType : 'application/json; charset=UTF-8',
      'content-length': body.length,
      ...(reply.gzip ? { 'content-encoding': 'gzip' } : {}),
      ...reply.headers,
    });
    res.end(body);
    return;
  }
  if (rec.action === 'countTokens') {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify({ totalTokens: countPromptTokens(rec.body) }));
    return;
  }
  if (rec.action === 'generateContent' && !('dropAfter' in reply) && !('errorEventAfter' in reply)) {
    const usage = ('usage' in reply && reply.usage) || { prompt: countPromptTokens(rec.body), answer: countAnswerTokens(reply.text) };
    await sleep(('delayMs' in reply && reply.delayMs) || DEFAULT_DELAY_MS);
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(chunkJson(rec.model, reply.text.join(''), usage, usage.answer, true));
    return;
  }
  const sse = rec.action === 'streamGenerateContent' && new URL(rec.path, 'http://x').searchParams.get('alt') === 'sse';
  await streamReply(res, rec, reply, sse);
}

export async function startFakeGemini(opts: { port?: number; host?: string } = {}): Promise<FakeGemini> {
  let responder = defaultResponder;
  let models: FakeModelInfo[] | RecordedResponse = DEFAULT_FAKE_MODELS;
  const requests: RecordedRequest[] = [];
  const waiters = new Set<{ pred: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }>();
  const sockets = new Set<Socket>();

  const server = createServer(async (req, res) => {
    const raw = await readBody(req).catch(() => Buffer.alloc(0));
    let body: unknown;
    try { body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined; } catch { body = undefined; }
    const path = req.url ?? '/';
    const match = ROUTE.exec(path.split('?')[0]!);
    const url = new URL(path, 'http://x');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      model: match?.[2] ?? '',
      action: match?.[3] ?? '',
      apiKey: (req.headers['x-goog-api-key'] as string | undefined) ?? url.searchParams.get('key') ?? '',
      headers: flatHeaders(req),
      body,
      bodyBytes: raw.length,
      receivedAt: Date.now(),
      aborted: false,
    };
    res.on('close', () => { if (!res.writableFinished) rec.aborted = true; });
    requests.push(rec);
    for (const w of waiters) if (w.pred(rec)) { waiters.delete(w); w.resolve(rec); }
    try {
      await handle(req, res, rec, responder, () => models);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(errorJson(500, `fake-gemini: ${(err as Error).message}`, 'INTERNAL'));
    }
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  // Like Google's front end (and the proxy's 65 s), not Node's 5 s: a client idle for a few seconds (bench:session
  // rendering its next clip on a loaded machine) must not meet a socket the server is closing (ECONNRESET).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    requests,
    respond(fn) { responder = fn; },
    setModels(list) { models = list; },
    reset() { responder = defaultResponder; models = DEFAULT_FAKE_MODELS; requests.length = 0; },
    waitForRequest(pred = () => true, timeoutMs = 5000) {
      const found = requests.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { pred, resolve: (r: RecordedRequest) => { clearTimeout(timer); resolve(r); } };
        const timer = setTimeout(() => { waiters.delete(waiter); reject(new Error(`fake-gemini: no matching request within ${timeoutMs} ms`)); }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// CLI for manual runs: node tests/support/fake-gemini.ts --port 9100
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : 9100;
  const fake = await startFakeGemini({ port });
  console.log(`fake Gemini listening on ${fake.url} (default reply describes the request)`);
  process.on('SIGINT', () => void fake.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
}
