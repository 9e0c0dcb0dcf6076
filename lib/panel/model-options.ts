/** The models Settings offers beside its free-text model field (lib/transport/models.ts), as a tiny Preact hook. */
import { useEffect, useState } from 'preact/hooks';
import { listModels, type ModelChoice } from '../transport/models.ts';

/**
 * The allowed models for this proxy and token, [] while loading or when the list cannot be had (no proxy yet, an
 * older proxy without the route, offline): the field then stays free text only, which always works.
 */
export function useModelOptions(proxyUrl: string, accessToken: string): ModelChoice[] {
  const [models, setModels] = useState<ModelChoice[]>([]);
  useEffect(() => {
    let live = true;
    setModels([]);
    if (!proxyUrl || !accessToken) return;
    listModels({ proxyUrl, accessToken }).then(
      (list) => live && setModels(list),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [proxyUrl, accessToken]);
  return models;
}
