/**
 * Errors by cause, not by status code (lib/core/answers/errors.ts). Each row is an error exactly as
 * @google/genai 3.3 throws it (an ApiError whose message holds the body, the SDK's wrapper of a non-JSON body, an
 * error event inside a 200 stream, a SyntaxError from an unreadable body) and the sentence, kind and action.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '@google/genai';
import { toUserError } from '../../lib/core/answers/errors.ts';
import type { UserError } from '../../lib/core/types.ts';

const rpc = 'type.googleapis.com/google.rpc';
const body = (code: number, status: string, message: string, details?: unknown[]) =>
  ({ error: { code, message, status, ...(details ? { details } : {}) } });
/** An HTTP error with Google's JSON body (throwErrorIfNotOK). */
const http = (code: number, status: string, message: string, details?: unknown[]) =>
  new ApiError({ status: code, message: JSON.stringify(body(code, status, message, details)) });
/** An HTTP error whose body was not labelled JSON: the SDK wraps the raw text with the reason phrase. */
const foreign = (code: number, phrase: string, text: string) =>
  new ApiError({ status: code, message: JSON.stringify({ error: { message: text, code, status: phrase } }) });
/** An `{"error":…}` event inside a 200 stream (throwIfStreamErrorChunk). */
const event = (code: number, status: string, message: string, details?: unknown[]) =>
  new ApiError({ status: code, message: `got status: ${status}. ${JSON.stringify(body(code, status, message, details))}` });

const perDay = [
  {
    '@type': `${rpc}.QuotaFailure`,
    violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
  },
];
const perMinute = [
  { '@type': `${rpc}.QuotaFailure`, violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] },
  { '@type': `${rpc}.RetryInfo`, retryDelay: '20.04s' },
];
const keyInvalid = [{ '@type': `${rpc}.ErrorInfo`, reason: 'API_KEY_INVALID', domain: 'googleapis.com' }];

interface Row {
  name: string;
  err: unknown;
  expect: Partial<UserError>;
  says: RegExp;
}

const rows: Row[] = [
  { name: '400 API_KEY_INVALID is the operator’s problem', err: http(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', keyInvalid), expect: { kind: 'proxy-key' }, says: /proxy’s own API key.*Whoever runs the proxy.*access token is fine/ },
  { name: '400 API_KEY_EXPIRED', err: http(400, 'INVALID_ARGUMENT', 'API key expired. Please renew the API key.', [{ '@type': `${rpc}.ErrorInfo`, reason: 'API_KEY_EXPIRED' }]), expect: { kind: 'proxy-key' }, says: /has expired/ },
  { name: 'the proxy’s 502 rewrite of a refused key', err: http(502, 'UNAVAILABLE', "Gemini refused the proxy's API key (HTTP 400). The proxy operator must check GEMINI_API_KEY."), expect: { kind: 'proxy-key' }, says: /proxy’s own API key/ },
  { name: '400 FAILED_PRECONDITION location', err: http(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'), expect: { kind: 'location' }, says: /does not serve the place the proxy runs from.*supported region/ },
  { name: '429 per-day QuotaFailure without RetryInfo', err: http(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', perDay), expect: { kind: 'quota', action: 'open-settings', retryAfterSec: undefined }, says: /daily quota.*will not work again until.*midnight Pacific time.*another model in Settings/ },
  { name: '429 per-day even with RetryInfo', err: http(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', [...perDay, { '@type': `${rpc}.RetryInfo`, retryDelay: '10s' }]), expect: { kind: 'quota', retryAfterSec: undefined }, says: /daily quota/ },
  { name: '429 per-minute QuotaFailure with RetryInfo', err: http(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', perMinute), expect: { kind: 'quota', action: 'retry', retryAfterSec: 21 }, says: /per-minute limit.*Try again in 21 s\./ },
  { name: '429 with only RetryInfo', err: http(429, 'RESOURCE_EXHAUSTED', 'Resource exhausted.', [{ '@type': `${rpc}.RetryInfo`, retryDelay: '47s' }]), expect: { kind: 'rate-limited', retryAfterSec: 47, action: 'retry' }, says: /Too many requests.*Try again in 47 s\./ },
  { name: '429 with nothing', err: http(429, 'RESOURCE_EXHAUSTED', 'Resource exhausted.'), expect: { kind: 'rate-limited' }, says: /Try again in a minute\./ },
  { name: 'the proxy’s per-minute limit', err: http(429, 'RESOURCE_EXHAUSTED', "This access token made more than 60 requests in a minute (the proxy's PROXY_RPM). Wait 12 s, or ask less often.", [{ '@type': `${rpc}.RetryInfo`, retryDelay: '12s' }]), expect: { kind: 'rate-limited', retryAfterSec: 12 }, says: /proxy allows this access token only so many questions a minute\. Try again in 12 s\./ },
  { name: 'the proxy’s daily token budget', err: http(429, 'RESOURCE_EXHAUSTED', 'This access token used its 1000 Gemini tokens for today (PROXY_TOKENS_PER_DAY). It resets at midnight UTC.', [{ '@type': `${rpc}.RetryInfo`, retryDelay: '30000s' }]), expect: { kind: 'rate-limited', retryAfterSec: undefined, action: undefined }, says: /daily allowance on the proxy.*midnight UTC/ },
  { name: '503 overloaded', err: http(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'), expect: { kind: 'overloaded', action: 'retry' }, says: /overloaded right now/ },
  { name: '404 model gone, named from the message', err: http(404, 'NOT_FOUND', 'models/gemini-1.0-pro is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.'), expect: { kind: 'model-not-found', action: 'open-settings' }, says: /The model “gemini-1\.0-pro” no longer exists.*Choose another model in Settings/ },
  { name: '404 from the proxy’s router', err: http(404, 'NOT_FOUND', 'No route for POST /x/v1beta/models/m:streamGenerateContent.'), expect: { kind: 'bad-request', action: 'open-settings' }, says: /proxy URL in Settings/ },
  { name: 'HTML from a load balancer is never shown', err: foreign(502, 'Bad Gateway', '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>'), expect: { kind: 'unreadable', action: 'retry' }, says: /web page instead of Gemini’s reply \(HTTP 502\)/ },
  { name: 'plain text over HTTP/2 (no reason phrase)', err: foreign(503, '', 'upstream connect error or disconnect/reset before headers'), expect: { kind: 'unreadable' }, says: /instead of Gemini’s reply/ },
  { name: 'Google’s JSON served as text/plain is unwrapped', err: foreign(400, 'Bad Request', JSON.stringify(body(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'))), expect: { kind: 'location' }, says: /location is not supported/ },
  { name: 'a gzip body passed on without its header', err: new SyntaxError('Unexpected token \'\u001f\', "\u001f\u008b\b\u0000\u0000\u0000" is not valid JSON'), expect: { kind: 'unreadable' }, says: /could not be read/ },
  { name: 'an error event inside a 200 stream', err: event(500, 'INTERNAL', 'An internal error has occurred.'), expect: { kind: 'upstream', action: 'retry' }, says: /Gemini had a problem answering \(HTTP 500\)\. Try again shortly\./ },
  { name: 'a quota error event inside a stream', err: event(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', perDay), expect: { kind: 'quota' }, says: /daily quota/ },
  { name: 'an overloaded event inside a stream', err: event(503, 'UNAVAILABLE', 'overloaded'), expect: { kind: 'overloaded' }, says: /overloaded/ },
  { name: '401 token', err: http(401, 'UNAUTHENTICATED', 'This proxy access token is not valid.'), expect: { kind: 'unauthorized', action: 'open-settings' }, says: /access token in Settings/ },
  { name: '413', err: http(413, 'INVALID_ARGUMENT', 'The request body is 25.0 MB and exceeds this proxy\'s limit of 20.0 MB (PROXY_MAX_BODY_MB).'), expect: { kind: 'too-large', action: 'open-settings' }, says: /too large for the proxy.*image quality/ },
  { name: '403 model not allowed', err: http(403, 'PERMISSION_DENIED', 'Model "gemini-ultra" is not allowed on this proxy. Choose one of: a, b.'), expect: { kind: 'forbidden' }, says: /does not offer the model “gemini-ultra”/ },
  { name: '403 origin', err: http(403, 'PERMISSION_DENIED', 'Origin chrome-extension://abc may not use this proxy.'), expect: { kind: 'forbidden', action: undefined }, says: /not on the proxy’s list/ },
  { name: '400 invalid argument quotes a plain sentence', err: http(400, 'INVALID_ARGUMENT', 'Please ensure that multiturn requests alternate between user and model.'), expect: { kind: 'bad-request', action: 'retry' }, says: /could not accept this request \(it said: “Please ensure/ },
  { name: '400 with a JSON-ish message quotes nothing', err: http(400, 'INVALID_ARGUMENT', '{"weird": true}'), expect: { kind: 'bad-request' }, says: /^Gemini could not accept this request\. Ask again/ },
  { name: '502 lost mid-answer, the proxy’s words', err: event(502, 'UNAVAILABLE', 'The connection to Gemini was lost mid-answer. Ask again; the proxy did not receive the rest of this answer.'), expect: { kind: 'stream-dropped' }, says: /^The connection to Gemini was lost mid-answer/ },
  { name: '502 the proxy could not reach Gemini', err: http(502, 'UNAVAILABLE', 'The proxy could not reach Gemini. Try again shortly; if it persists, the operator should check GEMINI_BASE_URL and the network.'), expect: { kind: 'upstream' }, says: /proxy could not reach Gemini/ },
  { name: '504', err: http(504, 'DEADLINE_EXCEEDED', 'Deadline expired.'), expect: { kind: 'upstream' }, says: /too long/ },
  { name: 'a stream cut without a closing blank line', err: new Error('Incomplete JSON segment at the end'), expect: { kind: 'stream-dropped' }, says: /cut off/ },
  { name: 'an unreadable stream event', err: new Error('exception parsing stream chunk {"candi. SyntaxError: x'), expect: { kind: 'unreadable' }, says: /could not be read/ },
  { name: 'the proxy unreachable', err: new TypeError('fetch failed'), expect: { kind: 'proxy-unreachable', action: 'open-settings' }, says: /Cannot reach the proxy/ },
  { name: 'something unknown with a long raw text', err: new Error(`boom ${'x'.repeat(500)}`), expect: { kind: 'unknown' }, says: /^Something went wrong while asking Gemini\. Ask again/ },
];

describe('toUserError', () => {
  it.each(rows)('$name', ({ err, expect: want, says }) => {
    const e = toUserError(err, { model: 'gemini-flash-latest' });
    for (const [k, v] of Object.entries(want)) expect(e[k as keyof UserError], k).toBe(v);
    expect(e.message).toMatch(says);
  });

  it.each(rows)('$name: a sentence, never a raw body or a code alone', ({ err }) => {
    const { message } = toUserError(err);
    expect(message).toMatch(/[.!]$/);
    expect(message).not.toMatch(/[{}<>]|RESOURCE_EXHAUSTED|INVALID_ARGUMENT|google\.rpc|\\u00/);
    expect(message.length).toBeLessThan(320);
  });

  it('names the model from the request when the 404 does not', () => {
    expect(toUserError(http(404, 'NOT_FOUND', 'Not found.'), { model: 'gemini-9' }).message).toMatch(/“gemini-9”/);
  });
});
