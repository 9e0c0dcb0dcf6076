/** Capture in Settings: Low / Balanced / Sharp, with the numbers behind them under "Advanced". */
import { FPS_RANGE, QUALITY_RANGE, type Settings } from '../lib/core/settings.ts';
import { CAPTURE_PRESETS, presetOf, presetValues } from '../lib/panel/capture-presets.ts';
import { NumberField } from './fields.tsx';
import { i18n } from '#i18n';

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
      <legend>{i18n.t('capture.legend')}</legend>
      <div class="presets" role="radiogroup" aria-label={i18n.t('capture.presetsLabel')}>
        {CAPTURE_PRESETS.map((p) => (
          <label key={p.id} class={`preset${chosen === p.id ? ' chosen' : ''}`}>
            <input type="radio" name="capture-preset" checked={chosen === p.id} onChange={() => onChange(presetValues(p.id))} />
            <span class="preset-name">{p.name}</span>
            <span class="hint">{p.hint}</span>
          </label>
        ))}
      </div>
      {!chosen && <p class="hint">{i18n.t('capture.custom')}</p>}
      <details class="advanced">
        <summary>{i18n.t('capture.advanced')}</summary>
        <div class="row">
          <NumberField label={i18n.t('capture.fps')} value={values.fps} min={FPS_RANGE.min} max={FPS_RANGE.max} step={0.1} onValue={(v) => onChange({ fps: v })} />
          <NumberField label={i18n.t('capture.minFps')} value={values.minFps} min={FPS_RANGE.min} max={FPS_RANGE.max} step={0.1} onValue={(v) => onChange({ minFps: v })} />
          <NumberField label={i18n.t('capture.quality')} value={values.quality} min={QUALITY_RANGE.min} max={QUALITY_RANGE.max} step={0.05} onValue={(v) => onChange({ quality: v })} />
        </div>
        <p class="hint">{i18n.t('capture.rateHint')}</p>
      </details>
    </fieldset>
  );
}
