/**
 * The models Settings can offer: Gemini's models.list through the proxy (which narrows it to the models it allows,
 * proxy/models.ts), with the official SDK's `ai.models.list()`, cached for an hour per proxy and token because the
 * list changes about monthly and Settings asks for it each time it opens.
 */
import type { Settings } from '../core/settings.ts';
import { clientFor } from './gemini.ts';

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

async function fetchModels(settings: Pick<Settings, 'proxyUrl' | 'accessToken'>): Promise<ModelChoice[]> {
  const pager = await clientFor(settings).models.list({ config: { pageSize: 1000 } });
  const out: ModelChoice[] = [];
  for await (const model of pager) {
    const id = model.name?.replace(/^models\//, '');
    // Only models that answer questions: the proxy filters too, but a proxy of an older version may not.
    if (!id || (model.supportedActions && !model.supportedActions.includes('generateContent'))) continue;
    out.push({ id, label: model.displayName || id });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The models the proxy allows and Gemini lists, sorted by id. Cached for MODEL_LIST_TTL_MS per proxy URL and
 * token; a failed call is not cached. Throws what the SDK throws (lib/core/answers/errors.ts words it), or an
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
