/**
 * Settings → Connection when the backend is an OpenAI-compatible server (Ollama, LM Studio, llama.cpp, vLLM,
 * OpenRouter): its base URL and optional key, Detect Ollama, the models it lists (a select), and whether the model
 * sees pictures (Ollama's model info when it is Ollama, else a checkbox). Ollama's 403 to an extension gets the
 * OLLAMA_ORIGINS fix with a command to copy; a server the browser blocks gets "Allow access" (a host permission).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../lib/core/settings.ts';
import { pickModel, visionChecked, visionSetting, type ServerCheck } from '../lib/core/model-server.ts';
import { checkServer, detectLocalOllama, modelSeesPictures, OLLAMA_DEFAULT_BASE_URL, requestServerAccess } from '../lib/panel/model-server.ts';
import { ServerCheckResult } from './ServerCheckResult.tsx';
import { i18n } from '#i18n';

type ServerFields = Pick<Settings, 'chatBaseUrl' | 'chatApiKey' | 'chatModel' | 'chatVision'>;

interface Props {
  values: ServerFields;
  onChange: (patch: Partial<ServerFields>) => void;
}

/** The fields of an OpenAI-compatible server, with its checks. */
export function ModelServerSettings({ values, onChange }: Props) {
  const [check, setCheck] = useState<ServerCheck | 'checking' | undefined>(undefined);
  const [known, setKnown] = useState<boolean | undefined>(undefined);
  const ok = check !== undefined && check !== 'checking' && check.kind === 'ok' ? check : undefined;
  const models = ok?.models ?? [];

  const run = async (work: () => Promise<{ baseUrl: string; check: ServerCheck }>) => {
    setCheck('checking');
    const found = await work();
    setCheck(found.check);
    const patch: Partial<ServerFields> = found.baseUrl !== values.chatBaseUrl ? { chatBaseUrl: found.baseUrl } : {};
    if (found.check.kind === 'ok') patch.chatModel = pickModel(values.chatModel, found.check.models);
    if (Object.keys(patch).length) onChange(patch);
  };
  const load = () => run(async () => ({ baseUrl: values.chatBaseUrl, check: await checkServer(values.chatBaseUrl, values.chatApiKey) }));
  const detect = () => {
    // The permission first, inside the click (it settles at once when already granted): with it Ollama's refusal
    // is a 403 that can be read; without it the browser hides it.
    const asked = requestServerAccess(OLLAMA_DEFAULT_BASE_URL);
    void run(async () => {
      await asked;
      return detectLocalOllama();
    });
  };
  const allow = () => {
    // First, inside the click: browsers grant an optional permission only during a user action.
    const asked = requestServerAccess(values.chatBaseUrl);
    void asked.then((granted) => {
      if (granted) void load();
    });
  };

  // Opening Settings on a server already chosen lists its models (no permission asked: that needs a click).
  useEffect(() => {
    if (values.chatBaseUrl) void load();
  }, []);

  // Ollama knows what its model can do: ask it whenever the model changes, and store the answer.
  useEffect(() => {
    let live = true;
    setKnown(undefined);
    void modelSeesPictures(values.chatBaseUrl, values.chatModel, Boolean(ok?.ollama)).then((sees) => {
      if (!live) return;
      setKnown(sees);
      if (sees !== undefined) onChange({ chatVision: visionSetting(sees, undefined) });
    });
    return () => {
      live = false;
    };
  }, [values.chatModel, ok?.ollama]);

  return (
    <div class="model-server">
      <label>
        {i18n.t('server.baseUrl')}
        <input
          type="url"
          value={values.chatBaseUrl}
          placeholder="http://localhost:11434/v1"
          autocomplete="off"
          spellcheck={false}
          aria-describedby="server-url-help"
          onInput={(e) => onChange({ chatBaseUrl: e.currentTarget.value })}
        />
      </label>
      <p class="hint" id="server-url-help">
        {i18n.t('server.baseUrlHint')}
      </p>
      <label>
        {i18n.t('server.apiKey')}
        <input type="password" value={values.chatApiKey} autocomplete="off" onInput={(e) => onChange({ chatApiKey: e.currentTarget.value })} />
      </label>
      <div class="row">
        <button type="button" disabled={check === 'checking' || !values.chatBaseUrl.trim()} onClick={() => void load()}>
          {i18n.t('server.loadModels')}
        </button>
        <button type="button" disabled={check === 'checking'} onClick={detect}>
          {i18n.t('server.detectOllama')}
        </button>
      </div>
      <ServerCheckResult check={check} baseUrl={values.chatBaseUrl} onAllow={allow} />
      {models.length > 0 ? (
        <label>
          {i18n.t('settings.model')}
          <select value={values.chatModel} onChange={(e) => onChange({ chatModel: e.currentTarget.value })}>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label>
          {i18n.t('settings.model')}
          <input type="text" value={values.chatModel} placeholder="llava:7b" spellcheck={false} onInput={(e) => onChange({ chatModel: e.currentTarget.value })} />
        </label>
      )}
      {known !== undefined ? (
        <p class="hint vision-known">{i18n.t(known ? 'server.ollamaSees' : 'server.ollamaTextOnly', { model: values.chatModel })}</p>
      ) : (
        <>
          <label class="check">
            <input
              type="checkbox"
              checked={visionChecked(values.chatVision)}
              aria-describedby="vision-help"
              onChange={(e) => onChange({ chatVision: visionSetting(undefined, e.currentTarget.checked) })}
            />
            {i18n.t('server.seesPictures')}
          </label>
          <p class="hint" id="vision-help">
            {i18n.t('server.seesPicturesHint')}
          </p>
        </>
      )}
      <p class="hint">{i18n.t('server.liveGeminiOnly')}</p>
    </div>
  );
}
