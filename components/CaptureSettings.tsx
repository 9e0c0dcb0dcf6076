/** Capture in Settings: Low / Balanced / Sharp, with the numbers behind them under "Advanced". */
import { FPS_RANGE, QUALITY_RANGE, type Settings } from '../lib/core/settings.ts';
import { CAPTURE_PRESETS, presetOf, presetValues } from '../lib/panel/capture-presets.ts';
import { NumberField } from './fields.tsx';

type Numbers = Pick<Settings, 'fps' | 'minFps' | 'quality'>;

interface Props {
  values: Numbers;
  onChange: (patch: Partial<Numbers>) => void;
}

/** The Capture group: a preset to choose, or the three numbers by hand. */
export function CaptureSettings({ values, onChange }: Props) {
  const chosen = presetOf(values);
  return (
    <fieldset class="group">
      <legend>Capture</legend>
      <div class="presets" role="radiogroup" aria-label="Picture quality and rate">
        {CAPTURE_PRESETS.map((p) => (
          <label key={p.id} class={`preset${chosen === p.id ? ' chosen' : ''}`}>
            <input type="radio" name="capture-preset" checked={chosen === p.id} onChange={() => onChange(presetValues(p.id))} />
            <span class="preset-name">{p.name}</span>
            <span class="hint">{p.hint}</span>
          </label>
        ))}
      </div>
      {!chosen && <p class="hint">Custom: set under Advanced.</p>}
      <details class="advanced">
        <summary>Advanced</summary>
        <div class="row">
          <NumberField label="Frames per second" value={values.fps} min={FPS_RANGE.min} max={FPS_RANGE.max} step={0.1} onValue={(v) => onChange({ fps: v })} />
          <NumberField label="Lowest frames per second" value={values.minFps} min={FPS_RANGE.min} max={FPS_RANGE.max} step={0.1} onValue={(v) => onChange({ minFps: v })} />
          <NumberField label="Image quality" value={values.quality} min={QUALITY_RANGE.min} max={QUALITY_RANGE.max} step={0.05} onValue={(v) => onChange({ quality: v })} />
        </div>
        <p class="hint">Sharing runs at the highest rate while the picture changes and slows to the lowest while it stays still.</p>
      </details>
    </fieldset>
  );
}
