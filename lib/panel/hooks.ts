/** Small Preact hooks tying the panel to its client, storage and the clock. */
import { useEffect, useState } from 'preact/hooks';
import type { PanelClient } from './client.ts';
import type { PanelView } from './view-model.ts';
import { hasConsented, recordConsent } from '../storage/consent.ts';
import type { Settings } from '../core/settings.ts';
import { loadSettings, onSettingsChanged, saveSettings } from '../storage/settings.ts';

export function usePanelView(client: PanelClient): PanelView {
  const [view, setView] = useState(client.get());
  useEffect(() => {
    setView(client.get());
    return client.subscribe(setView);
  }, [client]);
  return view;
}

/** undefined while loading. */
export function useConsent(): [boolean | undefined, () => Promise<void>] {
  const [consented, setConsented] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    hasConsented().then(setConsented, () => setConsented(false));
  }, []);
  const accept = async () => {
    await recordConsent();
    setConsented(true);
  };
  return [consented, accept];
}

/** undefined while loading. */
export function useSettings(): [Settings | undefined, (patch: Partial<Settings>) => Promise<void>] {
  const [settings, setSettings] = useState<Settings | undefined>(undefined);
  useEffect(() => {
    let live = true;
    loadSettings().then((s) => live && setSettings(s));
    const off = onSettingsChanged((s) => setSettings(s));
    return () => {
      live = false;
      off();
    };
  }, []);
  const save = async (patch: Partial<Settings>) => setSettings(await saveSettings(patch));
  return [settings, save];
}

/** The current time, refreshed every `everyMs` while `active`. */
export function useNow(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
  return now;
}
