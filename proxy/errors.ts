// Every refusal is Gemini's own error JSON, so the SDK raises ApiError with the right .status.

export const JSON_TYPE = 'application/json; charset=UTF-8';

/** Gemini's error JSON text, `{"error":{"code","message","status","details"?}}`. */
export function geminiErrorBody(code: number, status: string, message: string, details?: unknown[]): string {
  return JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } });
}

/** A Response carrying Gemini's error JSON with HTTP status `code`, plus optional details and headers. */
export function geminiError(
  code: number,
  status: string,
  message: string,
  opts: { details?: unknown[]; headers?: Record<string, string> } = {},
): Response {
  return new Response(geminiErrorBody(code, status, message, opts.details), {
    status: code,
    headers: { 'content-type': JSON_TYPE, ...opts.headers },
  });
}

/** 429 with Retry-After and a google.rpc.RetryInfo detail, like Google's own quota errors. */
export function tooManyRequests(message: string, retryAfterSeconds: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return geminiError(429, 'RESOURCE_EXHAUSTED', message, {
    details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s` }],
    headers: { 'retry-after': String(seconds) },
  });
}
