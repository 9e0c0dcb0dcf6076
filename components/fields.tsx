/** Small form pieces shared by Settings and the setup card. */
import { i18n } from '#i18n';

/** Why a typed proxy URL cannot work, or undefined (an empty one is not a problem yet). */
export function proxyUrlProblem(url: string): string | undefined {
  if (!url.trim()) return undefined;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : i18n.t('fields.urlScheme');
  } catch {
    return i18n.t('fields.urlInvalid');
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

/** A labelled number input that reports numbers, not strings. */
export function NumberField({ label, value, min, max, step, describedBy, onValue }: NumberFieldProps) {
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
