/**
 * "Test connection": is the proxy there, does it take this access token, and does it allow this model?
 * Two small requests from the panel itself: `GET /healthz` (no token), then a free, authenticated
 * `countTokens` call for the chosen model (it bills nothing and needs the same token and model check
 * as a real question).
 */

export interface ConnectionResult {
  ok: boolean;
  /** One sentence for the person: what works, or what to fix. */
  message: string;
}

interface Target {
  proxyUrl: string;
  accessToken: string;
  model: string;
}

const TIMEOUT_MS = 10_000;
/** The REST version the transport pins (lib/transport/gemini.ts); not imported, so the panel does not bundle the SDK. */
const API_VERSION = 'v1beta';

async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : '';
  } catch {
    return '';
  }
}

/** Checks the proxy, the token and the model; never throws. `fetchImpl` is for tests. */
export async function testConnection(target: Target, fetchImpl: typeof fetch = fetch): Promise<ConnectionResult> {
  let base: URL;
  try {
    base = new URL(target.proxyUrl.trim().replace(/\/+$/, '') + '/');
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return { ok: false, message: 'The proxy URL is not a valid http:// or https:// address.' };
  }
  if (!target.accessToken.trim()) return { ok: false, message: 'Enter the access token your proxy operator gave you.' };
  const call = (path: string, init: RequestInit = {}) => fetchImpl(new URL(path, base), { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });

  try {
    const health = await call('healthz');
    if (!health.ok) return { ok: false, message: `${base.host} answered, but not as a Sightline proxy (HTTP ${health.status}). Check the proxy URL.` };
  } catch {
    // A refused origin gets no CORS headers, which the browser reports exactly like a proxy that is down.
    return {
      ok: false,
      message: `Cannot reach the proxy at ${base.host}. Check that it is running, that the URL is right, and that it allows this extension.`,
    };
  }

  const model = target.model.trim() || 'gemini-flash-latest';
  let res: Response;
  try {
    res = await call(`${API_VERSION}/models/${encodeURIComponent(model)}:countTokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': target.accessToken.trim() },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'ping' }] }] }),
    });
  } catch {
    return { ok: false, message: `The proxy at ${base.host} is up, but the check of the token did not finish. Try again.` };
  }
  if (res.ok) return { ok: true, message: `Connected: the proxy at ${base.host} accepts this token and the model ${model}.` };
  const why = await errorText(res);
  switch (res.status) {
    case 401:
      return { ok: false, message: 'The proxy is running but refused the access token. Check the token, or ask the proxy operator for a new one.' };
    case 403:
    case 404:
      return { ok: false, message: `The proxy refused the model ${model}.${why ? ` ${why}` : ''}` };
    case 429:
      return { ok: true, message: 'Connected, and the token works; the proxy is busy right now, so a question may have to wait a moment.' };
    default:
      return { ok: false, message: `The proxy answered with an error (HTTP ${res.status})${why ? `: ${why}` : '.'}` };
  }
}
