// What one request carries through the middleware chain, and the services a platform adapter supplies.
import type { MiddlewareHandler } from 'hono';
import type { TokenChecker } from './auth.ts';
import type { ProxyConfig } from './config.ts';
import type { BodyRead } from './body.ts';
import type { TokenBudget } from './limits.ts';
import type { Metrics } from './metrics.ts';
import type { LivePlatform } from './live.ts';

/** One structured log line. Never holds bodies, images, keys or tokens (only a token digest prefix). */
export interface LogLine {
  t: string;
  route: string;
  status: number;
  ms: number;
  model?: string;
  token?: string;
  upstreamMs?: number;
  promptTokens?: number;
  answerTokens?: number;
  end?: string;
  error?: string;
}

/**
 * The part of a fetch Response the handler reads from Gemini's answer. A platform's own fetch Response has it
 * all; the Node adapter's upstream (node-fetch.ts) gives just this, since building a full Response and its
 * Headers per call cost ~70 us of the first byte's time.
 */
export interface UpstreamResponse extends Pick<Response, 'status' | 'ok' | 'body' | 'arrayBuffer'> {
  headers: Pick<Headers, 'get'>;
  /**
   * The body's bytes as sent, read chunk by chunk without a web stream (null when there is no body), for a
   * platform whose upstream can give them so: on Node a `ReadableStream` costs 10 to 20 us just to construct.
   * Read either this or `body`/`arrayBuffer()`, never both.
   */
  chunks?(): ChunkReader | null;
}

/** The part of a stream reader the SSE relay uses (sse.ts). */
export type ChunkReader = Pick<ReadableStreamDefaultReader<Uint8Array>, 'read' | 'cancel'>;

/** What a platform adapter supplies to the shared handler: settings, token checks, limits, metrics, log, upstream fetch. */
export interface ProxyServices {
  config: ProxyConfig;
  tokens: TokenChecker;
  /** Requests-per-minute middleware (hono-rate-limiter with the platform's store). */
  requestLimiter: MiddlewareHandler<{ Variables: ProxyVars }>;
  budget: TokenBudget;
  metrics: Metrics;
  log(line: LogLine): void;
  /** Upstream fetch; the platform's global fetch unless a test or benchmark swaps it. */
  fetch: (url: string, init: RequestInit) => Promise<UpstreamResponse>;
  /** WebSocket support for the Live relay (live.ts); without it the Live route answers 501. */
  live?: LivePlatform;
}

/** What the log line and metrics of one request are built from, filled in as the request goes. */
export interface RequestRecord {
  route: string;
  started: number;
  model?: string;
  tokenKey?: string;
  upstreamMs?: number;
  promptTokens?: number;
  answerTokens?: number;
  end?: string;
  error?: string;
  /** A streamed answer logs when the stream ends, not when headers go out. */
  deferred: boolean;
}

/** Hono context variables set by the handler's middleware. */
export interface ProxyVars {
  services: ProxyServices;
  tokenKey: string;
  record: RequestRecord;
  /** The request body's read, started early for small bodies (see startBodyRead in forward.ts). */
  bodyRead?: Promise<BodyRead>;
}

/** The Hono environment type of the proxy's app. */
export type ProxyEnv = { Variables: ProxyVars };

/** The log of PROXY_LOG=off: settle() sees it and does not build the line at all. */
export const NO_LOG = (_line: LogLine): void => {};

/** Finishes a request's metrics and log line. */
export function settle(services: ProxyServices, record: RequestRecord, status: number): void {
  services.metrics.countRequest(record.route, status);
  if (services.log === NO_LOG) return;
  services.log({
    t: new Date().toISOString(),
    route: record.route,
    status,
    ms: Math.round((performance.now() - record.started) * 10) / 10,
    ...(record.model ? { model: record.model } : {}),
    ...(record.tokenKey ? { token: record.tokenKey.slice(0, 12) } : {}),
    ...(record.upstreamMs !== undefined ? { upstreamMs: record.upstreamMs } : {}),
    ...(record.promptTokens !== undefined ? { promptTokens: record.promptTokens, answerTokens: record.answerTokens } : {}),
    ...(record.end ? { end: record.end } : {}),
    ...(record.error ? { error: record.error } : {}),
  });
}
