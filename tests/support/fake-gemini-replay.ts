// Two extras of the stand-in Gemini server (fake-gemini.ts): replaying a recorded response shape byte for byte
// (tests/fixtures/gemini/*.json), and models.list (`GET /{version}/models`, paged like the real one:
// https://ai.google.dev/api/models#method:-models.list). Test-only: never import from product code.
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** One recorded HTTP response of Gemini (or of something in front of it), as a fixture stores it. */
export interface RecordedResponse {
  /** HTTP status; 200 when absent. */
  status?: number;
  /** Response headers as sent (content-type defaults to SSE for events, JSON for an object body). */
  headers?: Record<string, string>;
  /**
   * A 200 stream: each entry is one SSE event's data, an object (JSON-encoded) or a string (written verbatim,
   * for framings that are not `data: {json}`: then the string is the whole event, blank line added).
   */
  events?: unknown[];
  /** A whole body instead: an object is JSON-encoded, a string is written as is. */
  body?: unknown;
  /** Compress the body with gzip and say so (Content-Encoding: gzip), as Google's front end may for errors. */
  gzip?: boolean;
  /** Milliseconds before each event. Default 5. */
  delayMs?: number;
}

/** A stored fixture: the shape, and where such a shape was reported. */
export interface GeminiFixture {
  /** What the shape is, in a sentence. */
  about: string;
  /** A public report of this shape (issue or documentation address). */
  seenIn?: string;
  response: RecordedResponse;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function encodeEvent(data: unknown): string {
  if (typeof data === 'string') return data.startsWith('data:') || data.startsWith(':') || data.startsWith('event:') ? `${data}\r\n\r\n` : `data: ${data}\r\n\r\n`;
  return `data: ${JSON.stringify(data)}\r\n\r\n`;
}

/** Writes a recorded response. A request that is not SSE gets the events as one JSON array (Gemini's other framing). */
export async function writeRecorded(res: ServerResponse, recorded: RecordedResponse, sse: boolean): Promise<void> {
  const status = recorded.status ?? 200;
  const headers: Record<string, string> = { ...recorded.headers };
  if (recorded.events) {
    headers['content-type'] ??= sse ? 'text/event-stream' : 'application/json';
    res.writeHead(status, headers);
    if (!sse) {
      const items = recorded.events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
      res.end(`[${items.join(',')}]`);
      return;
    }
    for (const event of recorded.events) {
      await sleep(recorded.delayMs ?? 5);
      if (res.destroyed) return;
      res.write(encodeEvent(event));
    }
    res.end();
    return;
  }
  let bytes: Buffer = Buffer.from(typeof recorded.body === 'string' ? recorded.body : JSON.stringify(recorded.body ?? {}), 'utf8');
  headers['content-type'] ??= typeof recorded.body === 'string' ? 'text/plain' : 'application/json; charset=UTF-8';
  if (recorded.gzip) {
    bytes = gzipSync(bytes);
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(bytes.length);
  res.writeHead(status, headers);
  res.end(bytes);
}

/** One entry of models.list, the fields the REST reference documents that matter here. */
export interface FakeModelInfo {
  name: string;
  displayName?: string;
  supportedGenerationMethods?: string[];
  inputTokenLimit?: number;
  outputTokenLimit?: number;
}

const generate = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];
const model = (id: string, displayName: string, methods = generate): FakeModelInfo =>
  ({ name: `models/${id}`, displayName, supportedGenerationMethods: methods, inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 });

/** A list like the real one in late 2026: aliases, stable and preview models, and some that cannot answer questions. */
export const DEFAULT_FAKE_MODELS: FakeModelInfo[] = [
  model('gemini-2.5-flash', 'Gemini 2.5 Flash'),
  model('gemini-2.5-pro', 'Gemini 2.5 Pro'),
  model('gemini-2.0-flash', 'Gemini 2.0 Flash'),
  model('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite'),
  model('gemini-embedding-001', 'Gemini Embedding 001', ['embedContent', 'countTextTokens', 'countTokens']),
  model('gemini-flash-latest', 'Gemini Flash Latest'),
  model('gemini-flash-lite-latest', 'Gemini Flash-Lite Latest'),
  model('gemini-pro-latest', 'Gemini Pro Latest'),
  model('gemini-3-flash-preview', 'Gemini 3 Flash Preview'),
  model('imagen-4.0-generate-001', 'Imagen 4', ['predict']),
  model('gemini-live-2.5-flash-preview', 'Gemini Live 2.5 Flash Preview', ['bidiGenerateContent']),
];

/** Answers models.list: `pageSize` (default 50, at most 1000) and `pageToken` (an offset here), like the real API. */
export function writeModelsPage(res: ServerResponse, models: FakeModelInfo[], url: URL): void {
  const size = Math.min(1000, Math.max(1, Number(url.searchParams.get('pageSize')) || 50));
  const from = Number(url.searchParams.get('pageToken') || 0) || 0;
  const page = models.slice(from, from + size);
  const next = from + size < models.length ? String(from + size) : undefined;
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify({ models: page, ...(next ? { nextPageToken: next } : {}) }));
}
