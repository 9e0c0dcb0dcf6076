/**
 * Turns whatever a model call threw into an error a person understands: by cause, not by status code. Pure.
 *
 * Causes read from the body (error-body.ts): google.rpc.ErrorInfo.reason for the proxy's own key, QuotaFailure
 * quota ids for per-day against per-minute quotas, RetryInfo for when to retry, FAILED_PRECONDITION for an
 * unsupported location (https://ai.google.dev/gemini-api/docs/troubleshooting), the proxy's own refusals by their
 * words (proxy/limits.ts, proxy/forward.ts, proxy/handler.ts). A body that is not Google's JSON is never shown.
 */
import type { UserError } from '../types.ts';
import { errorReason, parseError, perDayQuota, quotable, retryDelaySeconds, type ParsedError } from './error-body.ts';

export { retryDelaySeconds } from './error-body.ts';

/** What the caller knows that the error may not say. */
export interface ErrorContext {
  /** The model the request asked for (named when Gemini says it does not exist). */
  model?: string;
}

const OPERATOR = 'Whoever runs the proxy needs to fix this; your access token is fine and nothing in Settings can change it.';

/** Errors thrown before any HTTP status: the connection, or a reply that could not be read. */
function withoutStatus(p: ParsedError): UserError {
  const raw = p.raw;
  if (/exception parsing stream chunk/i.test(raw)) {
    return { kind: 'unreadable', message: 'Part of Gemini’s answer arrived in a form that could not be read, so it stopped there. Ask again.', action: 'retry' };
  }
  if (p.name === 'SyntaxError' || /Unexpected token|not valid JSON|Unexpected end of JSON|JSON\.parse/i.test(raw)) {
    return {
      kind: 'unreadable',
      message: 'The proxy’s reply could not be read (it was not Gemini’s answer). Ask again; if it keeps happening, tell whoever runs the proxy.',
      action: 'retry',
    };
  }
  if (/Incomplete JSON segment|network error|terminated|ECONNRESET|aborted by the server|stream/i.test(raw) && !/Failed to fetch/i.test(raw)) {
    return { kind: 'stream-dropped', message: 'The answer was cut off: the connection to the proxy dropped. Ask again.', action: 'retry' };
  }
  if (/Failed to fetch|NetworkError|fetch failed|ECONNREFUSED|Load failed/i.test(raw)) {
    return {
      kind: 'proxy-unreachable',
      message: 'Cannot reach the proxy. Check that it is running and that the proxy URL in Settings is right.',
      action: 'open-settings',
    };
  }
  const said = quotable(raw, 120);
  return {
    kind: 'unknown',
    message: `Something went wrong while asking Gemini${said ? ` (${said})` : ''}. Ask again; if it keeps happening, tell whoever runs the proxy.`,
    action: 'retry',
  };
}

/** The proxy's own Gemini key refused: upstream ErrorInfo, or the proxy's rewrite of it (forward.ts, a 502). */
function proxyKey(p: ParsedError): UserError | undefined {
  const reason = errorReason(p.details);
  const text = p.message ?? '';
  if (reason === 'API_KEY_EXPIRED' || /API key expired/i.test(text)) {
    return { kind: 'proxy-key', message: `Gemini refused the proxy’s own API key: it has expired. ${OPERATOR}` };
  }
  const refused = reason === 'API_KEY_INVALID' || reason === 'API_KEY_SERVICE_BLOCKED' || /API key not valid|API Key not found/i.test(text) ||
    (p.status === 502 && /proxy's API key|GEMINI_API_KEY/.test(text));
  if (refused) return { kind: 'proxy-key', message: `Gemini refused the proxy’s own API key (it is not valid for Gemini). ${OPERATOR}` };
  return undefined;
}

function tooMany(p: ParsedError): UserError {
  const text = p.message ?? '';
  const retryAfterSec = retryDelaySeconds(p.details);
  const perDay = perDayQuota(p.details);
  if (perDay) {
    return {
      kind: 'quota',
      message: 'The Gemini API key behind the proxy has used up its daily quota for this model. It will not work again until ' +
        'the quota resets at midnight Pacific time; choose another model in Settings, or ask whoever runs the proxy.',
      action: 'open-settings',
    };
  }
  if (perDay === false) {
    const when = retryAfterSec ? `Try again in ${retryAfterSec} s.` : 'Try again in a minute.';
    return { kind: 'quota', message: `Gemini’s per-minute limit for the proxy’s key is used up. ${when}`, action: 'retry', ...(retryAfterSec ? { retryAfterSec } : {}) };
  }
  // The proxy's own limits say which in their words (proxy/limits.ts, proxy/forward.ts).
  if (/PROXY_TOKENS_PER_DAY|for today/i.test(text)) {
    return {
      kind: 'rate-limited',
      message: 'This access token has used its daily allowance on the proxy. It resets at midnight UTC; whoever runs the proxy can raise it.',
    };
  }
  if (/PROXY_RPM|rate limit/i.test(text) && /proxy/i.test(text)) {
    const when = retryAfterSec ? `Try again in ${retryAfterSec} s.` : 'Try again in a minute.';
    return { kind: 'rate-limited', message: `The proxy allows this access token only so many questions a minute. ${when}`, action: 'retry', ...(retryAfterSec ? { retryAfterSec } : {}) };
  }
  const when = retryAfterSec ? `Try again in ${retryAfterSec} s.` : 'Try again in a minute.';
  return { kind: 'rate-limited', message: `Too many requests to Gemini right now. ${when}`, action: 'retry', ...(retryAfterSec ? { retryAfterSec } : {}) };
}

function forbidden(p: ParsedError): UserError {
  const text = p.message ?? '';
  const model = /Model "([^"]+)" is not allowed/.exec(text)?.[1];
  if (model) {
    return { kind: 'forbidden', message: `This proxy does not offer the model “${model}”. Choose another model in Settings.`, action: 'open-settings' };
  }
  if (/^Origin /.test(text)) {
    return {
      kind: 'forbidden',
      message: 'The proxy does not accept requests from this copy of Sightline (its address is not on the proxy’s list). Whoever runs the proxy can add it.',
    };
  }
  return { kind: 'forbidden', message: 'The proxy refused this request. Check the model in Settings, or ask whoever runs the proxy.', action: 'open-settings' };
}

function notFound(p: ParsedError, ctx: ErrorContext): UserError {
  const text = p.message ?? '';
  if (/^No route for|Unknown method/.test(text)) {
    return {
      kind: 'bad-request',
      message: 'The proxy URL in Settings does not lead to a Sightline proxy that knows this request. Check the proxy URL in Settings.',
      action: 'open-settings',
    };
  }
  const model = /models\/([\w.-]+)/.exec(text)?.[1] ?? ctx.model;
  const name = model ? `The model “${model}”` : 'The model in Settings';
  return {
    kind: 'model-not-found',
    message: `${name} no longer exists, or the proxy’s Gemini key cannot use it. Choose another model in Settings.`,
    action: 'open-settings',
  };
}

function badRequest(p: ParsedError): UserError {
  const text = p.message ?? '';
  if (p.code === 'FAILED_PRECONDITION' && /location|country|region/i.test(text)) {
    return {
      kind: 'location',
      message: `Gemini does not serve the place the proxy runs from (its location is not supported). ${OPERATOR.replace('needs to fix this', 'must run it in a supported region')}`,
    };
  }
  const said = quotable(text);
  return {
    kind: 'bad-request',
    message: `Gemini could not accept this request${said ? ` (it said: “${said}”)` : ''}. Ask again; if it keeps happening, start a new conversation.`,
    action: 'retry',
  };
}

function serverSide(p: ParsedError): UserError {
  const status = p.status!;
  const retryAfterSec = retryDelaySeconds(p.details);
  const retry = { action: 'retry' as const, ...(retryAfterSec ? { retryAfterSec } : {}) };
  const text = p.message ?? '';
  if (status === 503) return { kind: 'overloaded', message: 'Gemini is overloaded right now. Try again in a little while.', ...retry };
  if (status === 504) return { kind: 'upstream', message: 'Gemini took too long to answer. Ask again, perhaps something simpler.', ...retry };
  // The proxy words a lost or unreachable upstream itself (proxy/sse.ts, proxy/forward.ts): say it once.
  if (status === 502 && /lost/i.test(text) && quotable(text)) return { kind: 'stream-dropped', message: quotable(text)!, ...retry };
  if (status === 502 && /could not reach Gemini/i.test(text)) {
    return { kind: 'upstream', message: 'The proxy could not reach Gemini. Try again shortly; if it keeps happening, tell whoever runs the proxy.', ...retry };
  }
  return { kind: 'upstream', message: `Gemini had a problem answering (HTTP ${status}). Try again shortly.`, ...retry };
}

/**
 * An error a transport has already worded (the OpenAI-compatible backend words its server's errors itself:
 * lib/transport/openai.ts, chatBackendError). toUserError passes its sentence on unchanged.
 */
export class WordedError extends Error {
  readonly userError: UserError;
  constructor(userError: UserError) {
    super(userError.message);
    this.name = 'WordedError';
    this.userError = userError;
  }
}

/**
 * The sentence, kind, action and retry delay for an error thrown by the transport (the SDK's ApiError, an error
 * event inside a stream, a network failure, an unreadable body). Never returns a raw body or a status code alone.
 */
export function toUserError(err: unknown, ctx: ErrorContext = {}): UserError {
  if (err instanceof WordedError) return err.userError;
  const p = parseError(err);
  if (p.foreignBody) {
    const status = p.status ? ` (HTTP ${p.status})` : '';
    return {
      kind: 'unreadable',
      message: `The proxy, or something in front of it, answered with a web page instead of Gemini’s reply${status}. ` +
        'Try again shortly; if it keeps happening, check the proxy URL in Settings or tell whoever runs the proxy.',
      action: 'retry',
    };
  }
  if (p.status === undefined) return withoutStatus(p);
  const key = proxyKey(p);
  if (key) return key;
  switch (p.status) {
    case 401:
      return { kind: 'unauthorized', message: 'The proxy refused the access token. Check the access token in Settings.', action: 'open-settings' };
    case 403:
      return forbidden(p);
    case 404:
      return notFound(p, ctx);
    case 413:
      return {
        kind: 'too-large',
        message: 'The question with its pictures was too large for the proxy. Lower the image quality in Settings, or ask without “Look closer”.',
        action: 'open-settings',
      };
    case 429:
      return tooMany(p);
  }
  if (p.status >= 500) return serverSide(p);
  if (p.status === 400) return badRequest(p);
  const said = quotable(p.message);
  return {
    kind: 'bad-request',
    message: `The request was refused (HTTP ${p.status}${said ? `: “${said}”` : ''}). Ask again; if it keeps happening, tell whoever runs the proxy.`,
    action: 'retry',
  };
}
