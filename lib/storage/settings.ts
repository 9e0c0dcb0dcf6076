/** User settings (the `local:settings` item in items.ts): read, patch, watch. Every value comes normalised. */
import { normalizeSettings, type Settings } from '../core/settings.ts';
import { settingsItem } from './items.ts';

/** The settings; the defaults for anything not stored. */
export function loadSettings(): Promise<Settings> {
  return settingsItem.getValue();
}

/** Applies `patch` to the stored settings, normalised (clamped, trimmed), and returns what was stored. */
export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = normalizeSettings({ ...(await settingsItem.getValue()), ...patch });
  await settingsItem.setValue(next);
  return next;
}

/** Calls back with the new settings whenever any context saves them. Returns the unsubscribe. */
export function onSettingsChanged(listener: (s: Settings) => void): () => void {
  return settingsItem.watch(listener);
}
