/** Proxy, token, model and capture settings, saved to the extension's storage. */
import { useEffect, useState } from 'preact/hooks';
import { FPS_RANGE, QUALITY_RANGE, type Settings } from '../lib/storage/settings.ts';

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

export function SettingsForm({ settings, open, onToggle, onSave }: Props) {
  const [draft, setDraft] = useState(settings);
  const [status, setStatus] = useState('');
  // Stored settings changed elsewhere (another panel, a dev build default): show them.
  useEffect(() => setDraft(settings), [settings]);
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setStatus('');
  };
  const problem = proxyUrlProblem(draft.proxyUrl);
  const save = async (e: Event) => {
    e.preventDefault();
    if (problem) return;
    try {
      await onSave(draft);
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
          <input type="text" value={draft.model} spellcheck={false} onInput={(e) => set('model', e.currentTarget.value)} />
        </label>
        <div class="row">
          <label>
            Frames per second
            <input
              type="number"
              min={FPS_RANGE.min}
              max={FPS_RANGE.max}
              step={0.1}
              value={draft.fps}
              onInput={(e) => set('fps', e.currentTarget.valueAsNumber)}
            />
          </label>
          <label>
            Image quality
            <input
              type="number"
              min={QUALITY_RANGE.min}
              max={QUALITY_RANGE.max}
              step={0.05}
              value={draft.quality}
              onInput={(e) => set('quality', e.currentTarget.valueAsNumber)}
            />
          </label>
        </div>
        <label class="check">
          <input type="checkbox" checked={draft.keepFrames} onChange={(e) => set('keepFrames', e.currentTarget.checked)} />
          Keep frames on disk
        </label>
        <p class="hint">Off: only the conversation text is saved on this device.</p>
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
