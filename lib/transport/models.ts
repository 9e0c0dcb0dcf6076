/**
 * The models Settings can offer: Gemini's models.list through the proxy (which narrows it to the models it allows,
 * proxy/models.ts), cached for an hour per proxy and token because the list changes about monthly and Settings
 * asks for it each time it opens.
 *
 * A plain fetch of the documented REST shape (https://ai.google.dev/api/models#method:-models.list), not the SDK's
 * `ai.models.list()`: the SDK would add about 390 kB to the panel, which otherwise never calls Gemini. The proxy
 * route is tested with the SDK's list (tests/proxy/models-route.test.ts), so both readers agree.
 */
import type { Settings } from '../core/settings.ts';
import { API_VERSION } from './gemini-version.ts';

/** One model Settings can offer. */
export interface ModelChoice {
  /** The name a request uses (`gemini-2.5-flash`), without the `models/` prefix. */
  id: string;
  /** Gemini's display name (`Gemini 2.5 Flash`), or the id. */
  label: string;
}

/** How long a fetched list is reused (milliseconds). */
export const MODEL_LIST_TTL_MS = 60 * 60 * 1000;

const cache = new Map<string, { at: number; models: Promise<ModelChoice[]> }>();

/** Forgets every cached list (tests; a changed token or proxy already gets its own entry). */
export function clearModelListCache(): void {
  cache.clear();
}

interface ListPage {
  models?: Array<{ name?: string; displayName?: string; supportedGenerationMethods?: string[] }>;
  nextPageToken?: string;
}

/** At most this many pages are read (1000 models each). */
const MAX_PAGES = 5;

async function fetchModels(settings: Pick<Settings, 'proxyUrl' | 'accessToken'>): Promise<ModelChoice[]> {
  const out: ModelChoice[] = [];
  let token = '';
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = `${settings.proxyUrl}/${API_VERSION}/models?pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
    const res = await fetch(url, { headers: { 'x-goog-api-key': settings.accessToken } });
    const text = await res.text();
    // Thrown like the SDK's ApiError (status, body in the message), so lib/core/answers/errors.ts words it.
    if (!res.ok) throw Object.assign(new Error(text), { name: 'ApiError', status: res.status });
    const body = JSON.parse(text) as ListPage;
    for (const model of body.models ?? []) {
      const id = model.name?.replace(/^models\//, '');
      const methods = model.supportedGenerationMethods;
      // Only models that answer questions: the proxy filters too, but a proxy of an older version may not.
      if (!id || (methods && !methods.includes('generateContent'))) continue;
      out.push({ id, label: model.displayName || id });
    }
    if (!body.nextPageToken) break;
    token = body.nextPageToken;
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The models the proxy allows and Gemini lists, sorted by id. Cached for MODEL_LIST_TTL_MS per proxy URL and
 * token; a failed call is not cached. Throws an ApiError-like Error (status, body) for an HTTP error (lib/core/answers/errors.ts words it), a TypeError when the proxy cannot be reached,, or an
 * Error when Settings has no proxy URL or token.
 */
export function listModels(settings: Pick<Settings, 'proxyUrl' | 'accessToken'>, now: number = Date.now()): Promise<ModelChoice[]> {
  if (!settings.proxyUrl || !settings.accessToken) return Promise.reject(new Error('Set the proxy URL and access token first.'));
  const key = `${settings.proxyUrl}\n${settings.accessToken}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < MODEL_LIST_TTL_MS) return hit.models;
  const models = fetchModels(settings);
  cache.set(key, { at: now, models });
  models.catch(() => {
    if (cache.get(key)?.models === models) cache.delete(key);
  });
  return models;
}
