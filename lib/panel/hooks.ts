/** Small Preact hooks tying the panel to its client, storage and the clock. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PanelClient } from './client.ts';
import type { PanelView } from './view-model.ts';
import { hasConsented, recordConsent } from '../storage/consent.ts';
import type { Settings } from '../core/settings.ts';
import type { UserError } from '../core/types.ts';
import { secondsLeft } from './error-action.ts';
import { loadSettings, onSettingsChanged, saveSettings } from '../storage/settings.ts';

/** The client's latest view, re-rendering on every change. */
export function usePanelView(client: PanelClient): PanelView {
  const [view, setView] = useState(client.get());
  useEffect(() => {
    setView(client.get());
    return client.subscribe(setView);
  }, [client]);
  return view;
}

/** Whether the notice was accepted (undefined while loading), and how to record that it was. */
export function useConsent(): [boolean | undefined, () => Promise<void>] {
  const [consented, setConsented] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    const check = () => hasConsented().then(setConsented, () => setConsented(false));
    void check();
    // Another panel (Firefox keeps a sidebar loaded from start-up; a tab and the side panel can both be open)
    // may accept the notice: re-read on any change of local storage, cheap and without knowing its key.
    const onChanged = (_changes: unknown, area: string) => {
      if (area === 'local') void check();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);
  const accept = async () => {
    await recordConsent();
    setConsented(true);
  };
  return [consented, accept];
}

/** The stored settings (undefined while loading), kept current, and how to save a change. */
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

/** When `key` was first seen by this component (e.g. an error without a time of its own). */
export function useFirstSeen(key: unknown): number {
  const seen = useRef<{ key: unknown; at: number } | undefined>(undefined);
  if (!seen.current || seen.current.key !== key) seen.current = { key, at: Date.now() };
  return seen.current.at;
}

/**
 * Whole seconds until `error` says a retry makes sense, counted from `since`, refreshed every second
 * while there is a wait; 0 when there is none (or it is over).
 */
export function useRetryWait(error: UserError | undefined, since: number): number {
  const waitMs = (error?.retryAfterSec ?? 0) * 1000;
  const now = useNow(waitMs > 0 && Date.now() - since < waitMs);
  return error ? secondsLeft(error, since, now) : 0;
}

/**
 * Asks the service worker once for each frame in `ids` (get-frame); the answers land in PanelView.frames. A new
 * connection (the service worker restarted) asks again for what is still missing.
 */
export function useFrameRequests(client: PanelClient, ids: string[], connection: PanelView['connection']): void {
  const asked = useRef(new Set<string>());
  const key = ids.join(' ');
  useEffect(() => {
    // A reply lost with a dropped port is asked for again once the port is back.
    if (connection === 'reconnecting') return void asked.current.clear();
    for (const frameId of ids) {
      if (asked.current.has(frameId)) continue;
      asked.current.add(frameId);
      client.send({ type: 'get-frame', frameId });
    }
  }, [client, key, connection]);
}
