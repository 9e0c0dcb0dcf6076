/** Turns whatever a model call threw into an error a person understands. Pure. */
import type { UserError } from '../types.ts';

interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; details?: Array<Record<string, unknown>> };
}

/** The SDK's ApiError carries the HTTP status and the JSON error body inside its message. */
function parseErrorBody(message: string): GoogleErrorBody['error'] | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    return (JSON.parse(message.slice(start)) as GoogleErrorBody).error;
  } catch {
    return undefined;
  }
}

/** "47s" / "1.5s" from google.rpc.RetryInfo -> whole seconds, rounded up. */
export function retryDelaySeconds(details: Array<Record<string, unknown>> | undefined): number | undefined {
  const info = details?.find((d) => String(d['@type'] ?? '').endsWith('google.rpc.RetryInfo'));
  const delay = info?.retryDelay;
  if (typeof delay !== 'string') return undefined;
  const secs = Number.parseFloat(delay);
  return Number.isFinite(secs) ? Math.max(1, Math.ceil(secs)) : undefined;
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown })?.status;
  return typeof s === 'number' ? s : undefined;
}

export function toUserError(err: unknown): UserError {
  const raw = err instanceof Error ? err.message : String(err);
  const status = statusOf(err);
  const body = parseErrorBody(raw);
  const detail = body?.message ? ` (${body.message})` : '';

  if (status === undefined) {
    if (/Incomplete JSON segment|network error|terminated|ECONNRESET|aborted by the server|stream/i.test(raw) && !/Failed to fetch/i.test(raw)) {
      return { kind: 'stream-dropped', message: 'The answer was cut off: the connection to the proxy dropped. Ask again.' };
    }
    if (/Failed to fetch|NetworkError|fetch failed|ECONNREFUSED|Load failed/i.test(raw)) {
      return {
        kind: 'proxy-unreachable',
        message: 'Cannot reach the proxy. Check that it is running and that the proxy URL in Settings is right.',
      };
    }
    return { kind: 'unknown', message: `Something went wrong: ${raw}` };
  }
  switch (status) {
    case 401:
      return { kind: 'unauthorized', message: `The proxy refused the access token. Check the access token in Settings.${detail}` };
    case 403:
      return { kind: 'forbidden', message: `The proxy refused this request${detail || '.'} Check the model in Settings, or ask whoever runs the proxy.` };
    case 413:
      return { kind: 'too-large', message: `The request was too large for the proxy. Lower image quality in Settings.${detail}` };
    case 429: {
      const retryAfterSec = retryDelaySeconds(body?.details);
      const when = retryAfterSec ? `Try again in ${retryAfterSec} s.` : 'Try again in a minute.';
      return { kind: 'rate-limited', message: `Too many requests right now. ${when}`, retryAfterSec };
    }
    default:
      if (status >= 400 && status < 500) {
        return { kind: 'bad-request', message: `The request was refused${detail || ` (HTTP ${status}).`}` };
      }
      // The proxy words a lost upstream connection itself ("…lost mid-answer. Ask again"): say it once.
      if (status === 502 && body?.message) return { kind: 'stream-dropped', message: body.message };
      return { kind: 'upstream', message: `Gemini had a problem answering (HTTP ${status})${detail}. Try again shortly.` };
  }
}
