/** Proxy, token, model, capture, privacy and cost settings, saved to the extension's storage. */
import { useEffect, useState } from 'preact/hooks';
import { FPS_RANGE, QUALITY_RANGE, type Settings } from '../lib/core/settings.ts';
import { parseSiteList } from '../lib/core/private-sites.ts';
import { useModelOptions } from '../lib/panel/model-options.ts';

interface Props {
  settings: Settings;
  open: boolean;
  onToggle: (open: boolean) => void;
  onSave: (patch: Partial<Settings>) => Promise<void>;
}

function proxyUrlProblem(url: string): string | undefined {
  if (!url.trim()) return undefined;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'The proxy URL must start with http:// or https://.';
  } catch {
    return 'The proxy URL is not a valid address.';
  }
}

interface NumberFieldProps {
  label: string;
  value: number;
  min: number;
  max?: number;
  step: number;
  describedBy?: string;
  onValue: (value: number) => void;
}

function NumberField({ label, value, min, max, step, describedBy, onValue }: NumberFieldProps) {
  return (
    <label>
      {label}
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        aria-describedby={describedBy}
        onInput={(e) => onValue(e.currentTarget.valueAsNumber)}
      />
    </label>
  );
}

export function SettingsForm({ settings, open, onToggle, onSave }: Props) {
  const [draft, setDraft] = useState(settings);
  const [sitesText, setSitesText] = useState(settings.privateSites.join('\n'));
  const [status, setStatus] = useState('');
  // Stored settings changed elsewhere (another panel, a dev build default): show them.
  useEffect(() => {
    setDraft(settings);
    setSitesText(settings.privateSites.join('\n'));
  }, [settings]);
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setStatus('');
  };
  const problem = proxyUrlProblem(draft.proxyUrl);
  // Offered from the saved proxy and token (not the draft): no request per keystroke.
  const models = useModelOptions(settings.proxyUrl, settings.accessToken);
  const save = async (e: Event) => {
    e.preventDefault();
    if (problem) return;
    try {
      await onSave({ ...draft, privateSites: parseSiteList(sitesText) });
      setStatus('Saved.');
    } catch {
      setStatus('Could not save the settings.');
    }
  };
  return (
    <details class="settings" open={open} onToggle={(e) => onToggle((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Settings</summary>
      <form onSubmit={save}>
        <label>
          Proxy URL
          <input
            type="url"
            value={draft.proxyUrl}
            placeholder="http://127.0.0.1:8787"
            autocomplete="off"
            spellcheck={false}
            aria-invalid={problem ? 'true' : undefined}
            onInput={(e) => set('proxyUrl', e.currentTarget.value)}
          />
        </label>
        {problem && <p class="error">{problem}</p>}
        <label>
          Access token
          <input
            type="password"
            value={draft.accessToken}
            autocomplete="off"
            onInput={(e) => set('accessToken', e.currentTarget.value)}
          />
        </label>
        <label>
          Model
          <input type="text" list="model-options" value={draft.model} spellcheck={false} onInput={(e) => set('model', e.currentTarget.value)} />
        </label>
        <datalist id="model-options">
          {models.map((m) => <option key={m.id} value={m.id} label={m.label} />)}
        </datalist>
        <div class="row">
          <NumberField label="Frames per second" value={draft.fps} min={FPS_RANGE.min} max={FPS_RANGE.max} step={0.1} onValue={(v) => set('fps', v)} />
          <NumberField label="Lowest frames per second" value={draft.minFps} min={FPS_RANGE.min} max={FPS_RANGE.max} step={0.1} onValue={(v) => set('minFps', v)} />
          <NumberField label="Image quality" value={draft.quality} min={QUALITY_RANGE.min} max={QUALITY_RANGE.max} step={0.05} onValue={(v) => set('quality', v)} />
        </div>
        <label class="check">
          <input type="checkbox" checked={draft.keepFrames} onChange={(e) => set('keepFrames', e.currentTarget.checked)} />
          Keep frames on disk
        </label>
        <p class="hint">Off: only the conversation text is saved on this device.</p>
        <p class="hint">
          Sharing runs at the highest rate while the picture changes and slows to the lowest while it stays still.
        </p>
        <label>
          Private sites (one per line)
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
          Sharing a tab pauses by itself on these sites, and says so. “bank.com” covers its subdomains; * matches
          anything (“*bank*”).
        </p>
        <div class="row">
          <NumberField label="Prompt price per million tokens" value={draft.inputPricePerMillion} min={0} step={0.01} onValue={(v) => set('inputPricePerMillion', v)} />
          <NumberField label="Answer price per million tokens" value={draft.outputPricePerMillion} min={0} step={0.01} onValue={(v) => set('outputPricePerMillion', v)} />
        </div>
        <NumberField label="Budget per conversation (0 = none)" value={draft.sessionBudget} min={0} step={0.01} describedBy="budget-help" onValue={(v) => set('sessionBudget', v)} />
        <p class="hint" id="budget-help">
          When a conversation’s estimated cost reaches it, sharing pauses and the panel says so.
        </p>
        <div class="row end">
          <span role="status" class="meta">
            {status}
          </span>
          <button type="submit" class="primary">
            Save settings
          </button>
        </div>
      </form>
    </details>
  );
}
