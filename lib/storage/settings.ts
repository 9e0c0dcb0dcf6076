/** User settings, kept with the extension's storage (browser.storage.local). */
import { browser, type Browser } from 'wxt/browser';
import { normalizeSettings, type Settings } from '../core/settings.ts';

const KEY = 'settings';

export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(KEY);
  return normalizeSettings(stored[KEY] as Partial<Settings> | undefined);
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = normalizeSettings({ ...(await loadSettings()), ...patch });
  await browser.storage.local.set({ [KEY]: next });
  return next;
}

export function onSettingsChanged(listener: (s: Settings) => void): () => void {
  const handler = (changes: Record<string, Browser.storage.StorageChange>, area: string) => {
    if (area === 'local' && changes[KEY]) listener(normalizeSettings(changes[KEY].newValue as Partial<Settings>));
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}
