// POST /v1alpha/auth_tokens: mints a constrained ephemeral token with the real key, so a client can
// open the Live socket directly at Google (`BidiGenerateContentConstrained?access_token=auth_tokens/...`)
// without ever holding the key. The request is what the SDK's `ai.authTokens.create` sends
// (https://ai.google.dev/gemini-api/docs/ephemeral-tokens); the proxy narrows it before minting:
// one use, at most 30 minutes of life and 60 s to start the session, a model from its allowlists, and
// no `fieldMask`, which locks every field of the given setup (model and config) against change by
// the client. A minted reply carries `liveUrl`, the Gemini endpoint this proxy forwards to (where the client
// then connects). The proxy never sees such a session's usage, so it only refuses tokens once the daily
// budget is spent; it cannot count what the session costs.
import type { Context } from 'hono';
import { geminiError, JSON_TYPE, tooManyRequests } from './errors.ts';
import { secondsUntilUtcMidnight, utcDay } from './limits.ts';
import type { ProxyEnv, UpstreamResponse } from './context.ts';
import { decodedBytes } from './upstream.ts';

const MAX_BODY = 64 * 1024;
const MAX_LIFE_MS = 30 * 60_000;
const MAX_START_MS = 60_000;

/** `value` (an RFC 3339 time) if it lies between now and now + maxMs, otherwise now + maxMs. */
function clampTime(value: unknown, now: number, maxMs: number): string {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return new Date(Number.isFinite(t) && t > now && t < now + maxMs ? t : now + maxMs).toISOString();
}

/**
 * A minted token's reply, plus `liveUrl`: the Gemini endpoint this proxy forwards to, where the client opens the
 * constrained socket (Google's in production, a stand-in in tests). Other replies pass unchanged.
 */
function withLiveUrl(reply: string, status: number, geminiBaseUrl: string): string {
  if (status !== 200) return reply;
  try {
    const body: unknown = JSON.parse(reply);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return reply;
    return JSON.stringify({ ...body, liveUrl: geminiBaseUrl });
  } catch {
    return reply;
  }
}

/** The route handler (behind the access-token check and the request limiter). */
export async function mintLiveToken(c: Context<ProxyEnv>): Promise<Response> {
  const s = c.get('services');
  const record = c.get('record');
  const declared = Number(c.req.header('content-length') ?? 0);
  const text = declared > MAX_BODY ? null : await c.req.text();
  if (text === null || text.length > MAX_BODY) return geminiError(413, 'INVALID_ARGUMENT', 'A token request is at most 64 KB.');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text || '{}') as Record<string, unknown>;
  } catch {
    return geminiError(400, 'INVALID_ARGUMENT', 'The token request is not JSON.');
  }
  const setup = body.bidiGenerateContentSetup as Record<string, unknown> | undefined;
  const model = typeof setup?.model === 'string' ? setup.model.replace(/^models\//, '') : '';
  if (!setup || !model) {
    return geminiError(400, 'INVALID_ARGUMENT', 'Name the Live model and config to lock (liveConnectConstraints in ai.authTokens.create).');
  }
  record.model = model;
  const { config } = s;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(model) || (!config.liveModels.includes(model) && !config.models.includes(model))) {
    return geminiError(403, 'PERMISSION_DENIED', `Model "${model}" is not allowed on this proxy. Live models: ${config.liveModels.join(', ')} (PROXY_LIVE_MODELS).`);
  }
  if (config.tokensPerDay > 0 && (await s.budget.spent(c.get('tokenKey'), utcDay())) >= config.tokensPerDay) {
    return tooManyRequests(`This access token used its ${config.tokensPerDay} Gemini tokens for today (PROXY_TOKENS_PER_DAY). It resets at midnight UTC.`, secondsUntilUtcMidnight());
  }
  const now = Date.now();
  const request = {
    uses: 1,
    expireTime: clampTime(body.expireTime, now, MAX_LIFE_MS),
    newSessionExpireTime: clampTime(body.newSessionExpireTime, now, MAX_START_MS),
    bidiGenerateContentSetup: { ...setup, model: `models/${model}` },
  };
  let upstream: UpstreamResponse;
  try {
    upstream = await s.fetch(`${config.geminiBaseUrl}/v1alpha/auth_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': config.geminiApiKey },
      // Bytes, not a string: Node's upstream fetch (node-fetch.ts) sends Uint8Array bodies.
      body: new TextEncoder().encode(JSON.stringify(request)),
    });
  } catch {
    record.error = 'upstream unreachable';
    return geminiError(502, 'UNAVAILABLE', 'The proxy could not reach Gemini to mint a Live token. Try again shortly.');
  }
  const reply = new TextDecoder().decode(await decodedBytes(upstream));
  if (upstream.status === 401 || upstream.status === 403 || reply.includes('API_KEY_INVALID')) {
    return geminiError(502, 'UNAVAILABLE', `Gemini refused the proxy's API key (HTTP ${upstream.status}). The proxy operator must check GEMINI_API_KEY.`);
  }
  return new Response(withLiveUrl(reply, upstream.status, config.geminiBaseUrl).replaceAll(config.geminiApiKey, '[redacted]'), {
    status: upstream.status,
    headers: { 'content-type': upstream.headers.get('content-type') ?? JSON_TYPE },
  });
}
