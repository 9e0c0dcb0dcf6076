/**
 * Settings as a full-panel view, in groups: Connection (with Test connection), Privacy, Capture (presets,
 * numbers under Advanced) and Cost. Saved to the extension's storage with the Save button that stays in view.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../lib/core/settings.ts';
import { parseSiteList } from '../lib/core/private-sites.ts';
import { useModelOptions } from '../lib/panel/model-options.ts';
import { NumberField, proxyUrlProblem } from './fields.tsx';
import { CaptureSettings } from './CaptureSettings.tsx';
import { TestConnection } from './TestConnection.tsx';
import { ModelServerSettings } from './ModelServerSettings.tsx';
import { i18n } from '#i18n';

interface Props {
  settings: Settings;
  onSave: (patch: Partial<Settings>) => Promise<void>;
}

/** The Settings view's body: a draft of the settings, saved with "Save settings". */
export function SettingsForm({ settings, onSave }: Props) {
  const [draft, setDraft] = useState(settings);
  const [sitesText, setSitesText] = useState(settings.privateSites.join('\n'));
  const [status, setStatus] = useState('');
  // Stored settings changed elsewhere (another panel, a dev build default): show them.
  useEffect(() => {
    setDraft(settings);
    setSitesText(settings.privateSites.join('\n'));
  }, [settings]);
  const patch = (p: Partial<Settings>) => {
    setDraft((d) => ({ ...d, ...p }));
    setStatus('');
  };
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => patch({ [key]: value } as Partial<Settings>);
  const gemini = draft.backend === 'gemini';
  // The proxy's address matters only while Gemini answers.
  const problem = gemini ? proxyUrlProblem(draft.proxyUrl) : undefined;
  // Offered from the saved proxy and token (not the draft): no request per keystroke.
  const models = useModelOptions(settings.proxyUrl, settings.accessToken);
  const save = async (e: Event) => {
    e.preventDefault();
    if (problem) return setStatus(i18n.t('settings.fixUrlFirst'));
    try {
      await onSave({ ...draft, privateSites: parseSiteList(sitesText) });
      setStatus(i18n.t('settings.saved'));
    } catch {
      setStatus(i18n.t('settings.saveFailed'));
    }
  };
  return (
    <form class="view-body settings" onSubmit={save}>
      <fieldset class="group">
        <legend>{i18n.t('settings.connection')}</legend>
        <div role="radiogroup" aria-label={i18n.t('server.backendLegend')} class="backend-choice">
          {(['gemini', 'openai'] as const).map((b) => (
            <label class="check" key={b}>
              <input type="radio" name="backend" value={b} checked={draft.backend === b} onChange={() => set('backend', b)} />
              {i18n.t(b === 'gemini' ? 'server.gemini' : 'server.openai')}
            </label>
          ))}
        </div>
        {!gemini && <ModelServerSettings values={draft} onChange={patch} />}
        {gemini && (
          <>
        <label>
          {i18n.t('common.proxyUrl')}
          <input
            type="url"
            value={draft.proxyUrl}
            placeholder="https://proxy.example.com"
            autocomplete="off"
            spellcheck={false}
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'proxy-url-problem' : undefined}
            onInput={(e) => set('proxyUrl', e.currentTarget.value)}
          />
        </label>
        {problem && (
          <p class="error" id="proxy-url-problem">
            {problem}
          </p>
        )}
        <label>
          {i18n.t('common.accessToken')}
          <input type="password" value={draft.accessToken} autocomplete="off" onInput={(e) => set('accessToken', e.currentTarget.value)} />
        </label>
        <label>
          {i18n.t('settings.model')}
          <input type="text" list="model-options" value={draft.model} spellcheck={false} onInput={(e) => set('model', e.currentTarget.value)} />
        </label>
        <label>
          {i18n.t('settings.liveModel')}
          <input type="text" value={draft.liveModel} spellcheck={false} aria-describedby="live-model-help" onInput={(e) => set('liveModel', e.currentTarget.value)} />
        </label>
        <p class="hint" id="live-model-help">
          {i18n.t('settings.liveModelHint')}
        </p>
        <label class="check">
          <input type="checkbox" checked={draft.liveDirect} aria-describedby="live-direct-help" onChange={(e) => set('liveDirect', e.currentTarget.checked)} />
          {i18n.t('settings.liveDirect')}
        </label>
        <p class="hint" id="live-direct-help">
          {i18n.t('settings.liveDirectHint')}
        </p>
        <datalist id="model-options">
          {models.map((m) => <option key={m.id} value={m.id} label={m.label} />)}
        </datalist>
        <TestConnection proxyUrl={draft.proxyUrl} accessToken={draft.accessToken} model={draft.model} />
          </>
        )}
      </fieldset>

      <fieldset class="group">
        <legend>{i18n.t('settings.privacy')}</legend>
        <label class="check">
          <input type="checkbox" checked={draft.keepFrames} aria-describedby="keep-frames-help" onChange={(e) => set('keepFrames', e.currentTarget.checked)} />
          {i18n.t('settings.keepFrames')}
        </label>
        <p class="hint" id="keep-frames-help">
          {i18n.t('settings.keepFramesHint')}
        </p>
        <label>
          {i18n.t('settings.privateSites')}
          <textarea
            rows={4}
            value={sitesText}
            spellcheck={false}
            aria-describedby="private-sites-help"
            onInput={(e) => {
              setSitesText(e.currentTarget.value);
              setStatus('');
            }}
          />
        </label>
        <p class="hint" id="private-sites-help">
          {i18n.t('settings.privateSitesHint')}
        </p>
      </fieldset>

      <CaptureSettings values={draft} onChange={patch} />

      <fieldset class="group">
        <legend>{i18n.t('settings.cost')}</legend>
        <div class="row">
          <NumberField label={i18n.t('settings.inputPrice')} value={draft.inputPricePerMillion} min={0} step={0.01} onValue={(v) => set('inputPricePerMillion', v)} />
          <NumberField label={i18n.t('settings.outputPrice')} value={draft.outputPricePerMillion} min={0} step={0.01} onValue={(v) => set('outputPricePerMillion', v)} />
        </div>
        <NumberField label={i18n.t('settings.spendLimit')} value={draft.spendLimit} min={0} step={0.01} describedBy="spend-limit-help" onValue={(v) => set('spendLimit', v)} />
        <p class="hint" id="spend-limit-help">
          {i18n.t('settings.spendLimitHint')}
        </p>
      </fieldset>

      <div class="view-footer">
        <span role="status" class="meta">
          {status}
        </span>
        <button type="submit" class="primary">
          {i18n.t('settings.save')}
        </button>
      </div>
    </form>
  );
}
