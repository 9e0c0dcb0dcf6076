/**
 * "Test connection": is the proxy there, does it take this access token, and does it allow this model?
 * Two small requests from the panel itself: `GET /healthz` (no token), then a free, authenticated
 * `countTokens` call for the chosen model (it bills nothing and needs the same token and model check
 * as a real question).
 */
import { i18n } from '#i18n';

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
    return { ok: false, message: i18n.t('connectionTest.invalidUrl') };
  }
  if (!target.accessToken.trim()) return { ok: false, message: i18n.t('connectionTest.noToken') };
  const call = (path: string, init: RequestInit = {}) => fetchImpl(new URL(path, base), { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });

  try {
    const health = await call('healthz');
    if (!health.ok) return { ok: false, message: i18n.t('connectionTest.notProxy', { host: base.host, status: health.status }) };
  } catch {
    // A refused origin gets no CORS headers, which the browser reports exactly like a proxy that is down.
    return {
      ok: false,
      message: i18n.t('connectionTest.unreachable', { host: base.host }),
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
    return { ok: false, message: i18n.t('connectionTest.unfinished', { host: base.host }) };
  }
  if (res.ok) return { ok: true, message: i18n.t('connectionTest.connected', { host: base.host, model }) };
  const why = await errorText(res);
  switch (res.status) {
    case 401:
      return { ok: false, message: i18n.t('connectionTest.tokenRefused') };
    case 403:
    case 404:
      return { ok: false, message: `${i18n.t('connectionTest.modelRefused', { model })}${why ? ` ${why}` : ''}` };
    case 429:
      return { ok: true, message: i18n.t('connectionTest.busy') };
    default:
      return { ok: false, message: why ? i18n.t('connectionTest.httpErrorWhy', { status: res.status, why }) : i18n.t('connectionTest.httpError', { status: res.status }) };
  }
}
