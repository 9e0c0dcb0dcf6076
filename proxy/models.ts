// GET /v1beta/models and /v1/models: Gemini's models.list with the real key, narrowed to the models this proxy allows
// (PROXY_MODELS, config.ts) that can answer a question, so Settings offers only names that will work. Same
// response shape as Gemini's (https://ai.google.dev/api/models#method:-models.list), so the SDK's
// `ai.models.list()` reads it unchanged; every page is fetched here and one page goes back.
import type { Context } from 'hono';
import { geminiError, JSON_TYPE } from './errors.ts';
import type { ProxyEnv, UpstreamResponse } from './context.ts';
import { decodedBytes } from './upstream.ts';

/** Pages fetched at most (1000 models each): models.list is short; this only bounds a misbehaving upstream. */
const MAX_PAGES = 5;

interface ModelEntry {
  name?: string;
  supportedGenerationMethods?: string[];
}

/** True when the entry is an allowed model that can answer (streamGenerateContent needs generateContent). */
function offered(entry: ModelEntry, allowed: Set<string>): boolean {
  const id = entry.name?.replace(/^models\//, '') ?? '';
  const methods = entry.supportedGenerationMethods;
  return allowed.has(id) && (!methods || methods.includes('generateContent'));
}

/** Upstream refusals of the proxy's own key are the operator's problem: never a 401/403 the client would take as its token's. */
function upstreamError(status: number, text: string, headers: Pick<Headers, 'get'>): Response {
  if (status === 401 || status === 403 || text.includes('API_KEY_INVALID') || text.includes('API_KEY_EXPIRED')) {
    return geminiError(502, 'UNAVAILABLE',
      `Gemini refused the proxy's API key (HTTP ${status}). The proxy operator must check GEMINI_API_KEY.`);
  }
  const type = headers.get('content-type') ?? '';
  // Only Google's JSON goes on; anything else (an HTML page from a load balancer) is described, not passed.
  if (!type.includes('json')) {
    return geminiError(502, 'UNAVAILABLE', `Gemini's model list answered HTTP ${status} with something that is not Gemini's JSON. Try again shortly.`);
  }
  return new Response(text, { status, headers: { 'content-type': JSON_TYPE } });
}

/** Lists the allowed models Gemini knows. Errors: 502 when Gemini cannot be reached or refuses the key, else Gemini's own. */
export async function listAllowedModels(c: Context<ProxyEnv>): Promise<Response> {
  const s = c.get('services');
  const record = c.get('record');
  // Routed by literal paths (handler.ts says why): the version is the first path segment.
  const version = new URL(c.req.url).pathname.split('/')[1] === 'v1' ? 'v1' : 'v1beta';
  const allowed = new Set(s.config.models);
  const models: ModelEntry[] = [];
  let pageToken = '';
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = `${s.config.geminiBaseUrl}/${version}/models?pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
    let upstream: UpstreamResponse;
    try {
      upstream = await s.fetch(url, {
        method: 'GET',
        headers: { 'x-goog-api-key': s.config.geminiApiKey, 'accept-encoding': 'identity' },
        signal: c.req.raw.signal,
      });
    } catch (err) {
      record.error = (err as Error).message;
      return geminiError(502, 'UNAVAILABLE', 'The proxy could not reach Gemini. Try again shortly; if it persists, ' +
        'the operator should check GEMINI_BASE_URL and the network.');
    }
    const text = new TextDecoder().decode(await decodedBytes(upstream));
    if (!upstream.ok) return upstreamError(upstream.status, text, upstream.headers);
    let body: { models?: ModelEntry[]; nextPageToken?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return geminiError(502, 'UNAVAILABLE', 'Gemini\'s model list could not be read. Try again shortly.');
    }
    models.push(...(body.models ?? []).filter((m) => offered(m, allowed)));
    if (!body.nextPageToken) break;
    pageToken = body.nextPageToken;
  }
  return new Response(JSON.stringify({ models }), { status: 200, headers: { 'content-type': JSON_TYPE } });
}
