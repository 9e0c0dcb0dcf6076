/**
 * Reads a Gemini (or proxy) error out of whatever the SDK threw. Pure.
 *
 * The shapes, as @google/genai 3.3 surfaces them:
 * - an HTTP error with a JSON body: `ApiError{status, message: '{"error":{code,message,status,details}}'}`;
 * - an HTTP error whose body is not labelled JSON (an HTML page, plain text): the SDK wraps the raw text,
 *   `{"error":{"message":"<html>…","code":502,"status":"Bad Gateway"}}` (status is the HTTP reason phrase);
 *   when that raw text is itself Google's JSON, the real error is nested inside `message`;
 * - an error event inside a 200 stream: `ApiError{status: code, message: 'got status: INTERNAL. {"error":{…}}'}`;
 * - a body labelled JSON that is not (e.g. gzip bytes passed on without their header): a plain SyntaxError.
 * Error details are google.rpc types (https://cloud.google.com/apis/design/errors#error_details,
 * https://ai.google.dev/gemini-api/docs/troubleshooting): ErrorInfo.reason, QuotaFailure.violations[].quotaId,
 * RetryInfo.retryDelay ("47s").
 */

export type ErrorDetail = Record<string, unknown> & { '@type'?: string };

export interface ParsedError {
  /** HTTP status (ApiError.status), or the code of an error event inside a stream. */
  status?: number;
  /** google.rpc code name (`RESOURCE_EXHAUSTED`, `FAILED_PRECONDITION`...), when the body is Google's JSON. */
  code?: string;
  /** The body's message when it is Google's (or the proxy's) JSON error. May be long or technical. */
  message?: string;
  details: ErrorDetail[];
  /** The body was not Google's JSON error (an HTML page from a load balancer, plain text). Never shown. */
  foreignBody: boolean;
  /** The thrown error's own message (not for display). */
  raw: string;
  /** The thrown error's name (`ApiError`, `SyntaxError`, `TypeError`...). */
  name: string;
}

interface GoogleError {
  code?: unknown;
  message?: unknown;
  status?: unknown;
  details?: unknown;
}

/** The first JSON value starting at the first `{` or `[` of `text`, or undefined. */
function jsonIn(text: string): unknown {
  const start = text.search(/[[{]/);
  if (start < 0) return undefined;
  const body = text.slice(start);
  for (const candidate of [body, body.slice(0, body.lastIndexOf(body[0] === '[' ? ']' : '}') + 1)]) {
    try {
      return JSON.parse(candidate);
    } catch {
      // Try the next, shorter candidate.
    }
  }
  return undefined;
}

function errorOf(value: unknown): GoogleError | undefined {
  // A non-SSE stream frames events as a JSON array: `[{"error":{…}}]`.
  const first = Array.isArray(value) ? value[0] : value;
  const error = (first as { error?: unknown } | undefined)?.error;
  return error && typeof error === 'object' ? (error as GoogleError) : undefined;
}

/** A google.rpc code name, as opposed to an HTTP reason phrase ("Bad Gateway") the SDK puts there for foreign bodies. */
const RPC_CODE = /^[A-Z][A-Z_]+$/;

export function parseError(err: unknown): ParsedError {
  const raw = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : typeof err;
  const s = (err as { status?: unknown } | null)?.status;
  const out: ParsedError = { status: typeof s === 'number' ? s : undefined, details: [], foreignBody: false, raw, name };
  let error = errorOf(jsonIn(raw));
  if (!error) return out;
  // The SDK wrapped a body it did not take for JSON; it may still be Google's JSON (served as text/plain).
  for (let depth = 0; depth < 2 && typeof error.message === 'string' && !RPC_CODE.test(String(error.status ?? '')); depth++) {
    const nested = errorOf(jsonIn(error.message));
    if (!nested) break;
    error = nested;
  }
  const code = typeof error.status === 'string' ? error.status : undefined;
  // An HTTP reason phrase, or '' (HTTP/2 has none): the SDK's wrapper around a body that was not Google's JSON.
  if (code !== undefined && !RPC_CODE.test(code)) {
    out.foreignBody = true;
    return out;
  }
  if (out.status === undefined && typeof error.code === 'number') out.status = error.code;
  out.code = code;
  if (typeof error.message === 'string') out.message = error.message;
  if (Array.isArray(error.details)) out.details = error.details.filter((d): d is ErrorDetail => !!d && typeof d === 'object');
  return out;
}

/** The detail of a google.rpc type (`ErrorInfo`, `QuotaFailure`, `RetryInfo`...), if present. */
export function detailOf(details: ErrorDetail[], type: string): ErrorDetail | undefined {
  return details.find((d) => String(d['@type'] ?? '').endsWith(`google.rpc.${type}`));
}

/** "47s" / "1.5s" from google.rpc.RetryInfo -> whole seconds, rounded up; undefined when absent or unreadable. */
export function retryDelaySeconds(details: ErrorDetail[] | undefined): number | undefined {
  const delay = detailOf(details ?? [], 'RetryInfo')?.retryDelay;
  if (typeof delay !== 'string') return undefined;
  const secs = Number.parseFloat(delay);
  return Number.isFinite(secs) ? Math.max(1, Math.ceil(secs)) : undefined;
}

/**
 * True when a QuotaFailure names a per-day quota (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`, or a metric
 * with "per_day"): it will not come back for hours, whatever RetryInfo says. False for per-minute quotas,
 * undefined when there is no QuotaFailure at all.
 */
export function perDayQuota(details: ErrorDetail[]): boolean | undefined {
  const failure = detailOf(details, 'QuotaFailure');
  if (!failure) return undefined;
  const violations = Array.isArray(failure.violations) ? (failure.violations as Array<Record<string, unknown>>) : [];
  return violations.some((v) => /per[_-]?day/i.test(`${String(v.quotaId ?? '')} ${String(v.quotaMetric ?? '')}`));
}

/** google.rpc.ErrorInfo.reason (`API_KEY_INVALID`, `API_KEY_EXPIRED`...), if present. */
export function errorReason(details: ErrorDetail[]): string | undefined {
  const reason = detailOf(details, 'ErrorInfo')?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** A message safe and short enough to quote to a person: one plain sentence or two, no markup, no JSON. */
export function quotable(message: string | undefined, max = 240): string | undefined {
  if (!message) return undefined;
  const text = message.replace(/\s+/g, ' ').trim();
  if (!text || text.length > max || /[<>{}\u0000-\u001f]/.test(text)) return undefined;
  return text;
}
