/**
 * Capture as three presets a person can choose between; the numbers stay under "Advanced".
 * Pure: which preset matches the current settings, and what each preset sets.
 */
import type { Settings } from '../core/settings.ts';
import { i18n } from '#i18n';

export type PresetId = 'low' | 'balanced' | 'sharp';
type CaptureNumbers = Pick<Settings, 'fps' | 'minFps' | 'quality'>;

export interface CapturePreset {
  id: PresetId;
  name: string;
  /** One line on what it costs and gives. */
  hint: string;
  values: CaptureNumbers;
}

/** Balanced is the default settings' numbers, so a fresh install shows it chosen. */
export const CAPTURE_PRESETS: readonly CapturePreset[] = [
  // Unchanged frames are dropped before they cost anything, so the rates weigh this computer's work and how short
  // a scene can be and still reach the model (a floor of 1 fps catches one that stays a second: bench:session).
  { id: 'low', name: i18n.t('capture.lowName'), hint: i18n.t('capture.lowHint'), values: { fps: 0.5, minFps: 0.5, quality: 0.5 } },
  { id: 'balanced', name: i18n.t('capture.balancedName'), hint: i18n.t('capture.balancedHint'), values: { fps: 1, minFps: 1, quality: 0.7 } },
  { id: 'sharp', name: i18n.t('capture.sharpName'), hint: i18n.t('capture.sharpHint'), values: { fps: 2, minFps: 1, quality: 0.85 } },
];

const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

/** The preset whose numbers the settings have, or undefined when they were set by hand ("Custom"). */
export function presetOf(s: CaptureNumbers): PresetId | undefined {
  return CAPTURE_PRESETS.find((p) => close(p.values.fps, s.fps) && close(p.values.minFps, s.minFps) && close(p.values.quality, s.quality))?.id;
}

/** The settings' capture numbers for a preset. */
export function presetValues(id: PresetId): CaptureNumbers {
  return { ...CAPTURE_PRESETS.find((p) => p.id === id)!.values };
}
