// POST /{v1,v1beta}/models/{model}:{action}: validate, swap the client's token for the real key,
// and relay Gemini's answer. The request body is checked (request-check.ts) and forwarded as received,
// or as re-serialised from what was checked when it carries policed fields.
import type { Context, MiddlewareHandler } from 'hono';
import { secondsUntilUtcMidnight, utcDay } from './limits.ts';
import { geminiError, JSON_TYPE, tooManyRequests } from './errors.ts';
import { readBody } from './body.ts';
import { checkModelRequest, type ModelAction } from './request-check.ts';
import { decodedBytes, decodedChunks, decodedStream, upstreamError } from './upstream.ts';
import { relaySse } from './sse.ts';
import { scanUsage } from './usage.ts';
import { settle, type ProxyEnv, type ProxyServices, type RequestRecord, type UpstreamResponse } from './context.ts';

const ACTIONS = new Set<string>(['streamGenerateContent', 'generateContent', 'countTokens'] satisfies ModelAction[]);
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MB = 1024 * 1024;

const mb = (bytes: number) => (bytes / MB).toFixed(1);

function tooLarge(size: number | null, max: number, drained: boolean): Response {
  // A body not read to its end is still arriving: close the connection so no client reuses a half-read socket.
  return geminiError(413, 'INVALID_ARGUMENT',
    `The request body${size === null ? '' : ` is ${mb(size)} MB and`} exceeds this proxy's limit of ${mb(max)} MB ` +
      '(PROXY_MAX_BODY_MB). Send fewer or smaller frames, or ask the operator to raise the limit.',
    drained ? {} : { headers: { connection: 'close' } });
}

/** Refuses the request before any upstream call, or returns the body bytes to send Gemini. */
async function validate(c: Context<ProxyEnv>, s: ProxyServices, model: string, action: ModelAction): Promise<Response | Uint8Array<ArrayBuffer>> {
  const { config } = s;
  if (!MODEL_NAME.test(model) || !config.models.includes(model)) {
    return geminiError(403, 'PERMISSION_DENIED',
      `Model "${model}" is not allowed on this proxy. Choose one of: ${config.models.join(', ')} ` +
        '(the operator sets this list with PROXY_MODELS).');
  }
  const read = await (c.get('bodyRead') ?? readBody(c.req.raw, config.maxBodyBytes));
  if (!read.ok) return tooLarge(read.size, config.maxBodyBytes, read.drained);
  const check = checkModelRequest(read.bytes, action, config.requestPolicy);
  if (!check.ok) return geminiError(400, 'INVALID_ARGUMENT', check.message);
  return check.body;
}

/** Bodies up to this size (declared) are read while the token and rate limit are checked. */
const EARLY_READ_BYTES = 64 * 1024;

/**
 * Starts reading a small declared body at once, so that its bytes arrive while the token check and the rate
 * limit run (measured: ~60 us of the first byte's time on Node, where the read waits on stream events). A
 * larger body is read only after the token check, so an unauthenticated client cannot make the proxy hold
 * megabytes. Never refuses anything itself.
 */
export const startBodyRead: MiddlewareHandler<ProxyEnv> = async (c, next) => {
  const length = Number(c.req.header('content-length') ?? NaN);
  if (length <= EARLY_READ_BYTES) {
    const read = readBody(c.req.raw, c.get('services').config.maxBodyBytes);
    read.catch(() => {}); // a client gone mid-upload: whoever awaits it sees the rejection
    c.set('bodyRead', read);
  }
  await next();
};

async function overBudget(s: ProxyServices, tokenKey: string): Promise<Response | null> {
  if (s.config.tokensPerDay <= 0) return null;
  const spent = await s.budget.spent(tokenKey, utcDay());
  if (spent < s.config.tokensPerDay) return null;
  return tooManyRequests(
    `This access token used its ${s.config.tokensPerDay} Gemini tokens for today (PROXY_TOKENS_PER_DAY). ` +
      'It resets at midnight UTC.',
    secondsUntilUtcMidnight(),
  );
}

function waitUntil(c: Context<ProxyEnv>, p: Promise<unknown>): void {
  c.executionCtx.waitUntil(p);
}

/**
 * The model route's handler: checks model, size, shape and policy, the daily token budget, then calls
 * Gemini with the real key and relays its answer (SSE streamed event by event, JSON whole). Every refusal
 * is Gemini-shaped error JSON; an unreachable Gemini is 502, a client that left is 499.
 */
export async function forwardModelCall(c: Context<ProxyEnv>): Promise<Response> {
  const s = c.get('services');
  const record = c.get('record');
  const call = c.req.path.split('/').pop() ?? '';
  const colon = call.lastIndexOf(':');
  const model = call.slice(0, colon);
  const action = call.slice(colon + 1) as ModelAction;
  if (colon < 0 || !ACTIONS.has(action)) {
    return geminiError(404, 'NOT_FOUND', `Unknown method "${action}". This proxy serves ${[...ACTIONS].join(', ')}.`);
  }
  record.route = action;
  record.model = model;
  const tokenKey = c.get('tokenKey');

  const validated = await validate(c, s, model, action);
  if (validated instanceof Response) return validated;
  if (action !== 'countTokens') {
    const refused = await overBudget(s, tokenKey);
    if (refused) return refused;
  }

  const version = c.req.param('version');
  const sse = c.req.query('alt') === 'sse';
  const target = `${s.config.geminiBaseUrl}/${version}/models/${model}:${action}${sse ? '?alt=sse' : ''}`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-goog-api-key': s.config.geminiApiKey,
    'accept-encoding': 'identity',
  };
  const apiClient = c.req.header('x-goog-api-client');
  if (apiClient) headers['x-goog-api-client'] = apiClient;

  const sent = performance.now();
  let upstream: UpstreamResponse;
  try {
    upstream = await s.fetch(target, { method: 'POST', headers, body: validated, signal: c.req.raw.signal });
  } catch (err) {
    if (c.req.raw.signal.aborted) {
      record.end = 'cancelled';
      return geminiError(499, 'CANCELLED', 'The client closed the request.');
    }
    record.error = (err as Error).message;
    return geminiError(502, 'UNAVAILABLE', 'The proxy could not reach Gemini. Try again shortly; if it persists, ' +
      'the operator should check GEMINI_BASE_URL and the network.');
  }
  const upstreamSeconds = (performance.now() - sent) / 1000;
  record.upstreamMs = Math.round(upstreamSeconds * 10000) / 10;
  s.metrics.observeUpstream(action, upstreamSeconds);

  if (!upstream.ok) return upstreamError(upstream);

  const spend = (prompt: number, answer: number) => {
    record.promptTokens = prompt;
    record.answerTokens = answer;
    s.metrics.addTokens(prompt, answer);
    if (action !== 'countTokens' && prompt + answer > 0 && s.config.tokensPerDay > 0) {
      waitUntil(c, s.budget.add(tokenKey, utcDay(), prompt + answer));
    }
  };

  // On Node the relay reads the upstream's chunks directly (no web stream between them).
  const chunks = sse ? decodedChunks(upstream) : undefined;
  if (!sse || (chunks === undefined ? !upstream.body : chunks === null)) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await decodedBytes(upstream);
    } catch {
      return geminiError(502, 'UNAVAILABLE', 'The connection to Gemini was lost before the answer arrived. Ask again.');
    }
    const usage = { prompt: 0, answer: 0 };
    if (action !== 'countTokens') scanUsage(new TextDecoder().decode(bytes), usage);
    spend(usage.prompt, usage.answer);
    return new Response(bytes, { status: 200, headers: { 'content-type': upstream.headers.get('content-type') ?? JSON_TYPE } });
  }

  record.deferred = true;
  s.metrics.openStreams++;
  // Workers stop a request's code when the client leaves; waitUntil lets the relay see the cancel and settle.
  let streamEnded!: () => void;
  waitUntil(c, new Promise<void>((resolve) => { streamEnded = resolve; }));
  const body = relaySse(chunks ?? decodedStream(upstream as UpstreamResponse & { body: ReadableStream<Uint8Array> }), (outcome) => {
    streamEnded();
    s.metrics.openStreams--;
    spend(outcome.prompt, outcome.answer);
    record.end = outcome.errorEvent ? 'error-event' : outcome.end;
    settle(s, record as RequestRecord, outcome.end === 'cancelled' ? 499 : 200);
  });
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
