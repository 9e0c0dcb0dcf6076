/**
 * Capture as three presets a person can choose between; the numbers stay under "Advanced".
 * Pure: which preset matches the current settings, and what each preset sets.
 */
import type { Settings } from '../core/settings.ts';

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
  { id: 'low', name: 'Low', hint: 'Fewer, softer frames. Cheapest; fine for slides and text-heavy pages.', values: { fps: 0.5, minFps: 0.2, quality: 0.5 } },
  { id: 'balanced', name: 'Balanced', hint: 'One frame a second while things change. Good for most uses.', values: { fps: 1, minFps: 0.2, quality: 0.7 } },
  { id: 'sharp', name: 'Sharp', hint: 'More, sharper frames. For video and small print; costs more.', values: { fps: 2, minFps: 0.5, quality: 0.85 } },
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
