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

/**
 * The settings for a context that reads them on a hot path (the background, on every question): read from
 * storage once, then kept by onSettingsChanged, which reports every context's saves. A question then waits on
 * no storage read (1 to 5 ms each in Chromium 156 on a loaded 2-core machine, bench:e2e). A failed read is not
 * kept: the next call reads again. Rejects as loadSettings does.
 */
export function cachedSettings(): () => Promise<Settings> {
  let current: Promise<Settings> | undefined;
  onSettingsChanged((s) => {
    current = Promise.resolve(s);
  });
  return () => {
    current ??= loadSettings().catch((err: unknown) => {
      current = undefined;
      throw err;
    });
    return current;
  };
}
