/**
 * Every value Sightline keeps in browser.storage, each one WXT storage item: its key and area, its fallback
 * when nothing is stored, the version of its shape with the migrations to it, and the check every read
 * passes through. Conversations are not here: they live in IndexedDB (sessions.ts).
 *
 * Why WXT's storage (@wxt-dev/storage, part of WXT): one typed item per key instead of string keys and
 * casts spread over files; a shape version kept beside each value (key `<key>$` holds `{ v }`) with
 * migrations that run when a context first defines the item; watch() per key; the same in Chrome and
 * Firefox; and WXT's fake browser runs all of it in unit tests.
 *
 * Versions: 1 is the shape each key had before items were versioned, and a value stored without version
 * metadata reads as version 1, so existing installs keep their data untouched. To change a shape: bump its
 * `version`, add `migrations[n]` turning version n-1 into n, and test it from a stored value of version n-1
 * (tests/unit/storage-items.test.ts does this for an unversioned value).
 *
 * Areas: `local` for what outlives the browser; `session` for what must not (which tab is shared). The
 * browser clears `session` when it closes and when the extension updates, so its items never hold a value
 * from an older release and their migrations stay empty.
 */
import { storage, type StorageItemKey, type Unwatch } from 'wxt/utils/storage';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from '../core/settings.ts';
import type { SharingState } from '../protocol/messages.ts';
import type { LiveRecord } from '../protocol/live.ts';
import {
  readConsent,
  readLiveRecord,
  readRegionsBySite,
  readSharingState,
  readTabCapture,
  readTabId,
  readTimesBySite,
  type ConsentRecord,
  type RegionsBySite,
  type StoredTabCapture,
  type TimesBySite,
} from './shapes.ts';

/** A WXT storage item whose every read and write passes its check, so no caller sees an unchecked value. */
export interface CheckedItem<T> {
  /** Area and key, e.g. 'local:settings' (the browser.storage key is the part after the colon). */
  readonly key: StorageItemKey;
  /** Version of the shape this release reads and writes. */
  readonly version: number;
  /** The stored value, checked; the fallback when nothing (or null) is stored. Rejects if browser.storage does. */
  getValue(): Promise<T>;
  /** Stores the value, checked; null removes it (for items whose fallback is null). */
  setValue(value: T): Promise<void>;
  removeValue(): Promise<void>;
  /** Calls back with each new value (checked; the fallback when removed), in every context. Returns the unsubscribe. */
  watch(callback: (value: T) => void): Unwatch;
}

interface ItemDefinition<T> {
  fallback: T;
  version: number;
  /** Steps to `version` n from n-1 (key n), given the raw stored value; run by WXT when the item is defined. */
  migrations: Record<number, (old: unknown) => unknown>;
  /** Turns anything stored into a trusted value. */
  check: (raw: unknown) => T;
}

function defineChecked<T>(key: StorageItemKey, { fallback, version, migrations, check }: ItemDefinition<T>): CheckedItem<T> {
  // Stored values are `unknown` until checked: another release, another context or a hand edit wrote them.
  const item = storage.defineItem<unknown>(key, { fallback, version, migrations });
  return {
    key,
    version,
    getValue: async () => check(await item.getValue()),
    setValue: (value) => item.setValue(check(value)),
    removeValue: () => item.removeValue(),
    watch: (callback) => item.watch((value) => callback(check(value))),
  };
}

/** The user's settings (Settings in lib/core/settings.ts), stored complete and normalised. */
export const settingsItem = defineChecked<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
  migrations: {},
  check: normalizeSettings,
});

/** That the person accepted the notice, and which version of it; null until they have. */
export const consentItem = defineChecked<ConsentRecord | null>('local:consent', {
  fallback: null,
  version: 1,
  migrations: {},
  check: readConsent,
});

/** Hidden regions by site (hostname, or 'camera' / 'screen'), as fractions of the frame. */
export const redactionsItem = defineChecked<RegionsBySite>('local:redactions', {
  fallback: {},
  version: 1,
  migrations: {},
  check: readRegionsBySite,
});

/**
 * Per site, when a change to its hidden regions last hid more (epoch ms): frames of the site captured
 * earlier are never sent, also after a restart (lib/conversation/sharing.ts).
 */
export const hiddenSinceItem = defineChecked<TimesBySite>('local:redactionsHiddenSince', {
  fallback: {},
  version: 1,
  migrations: {},
  check: readTimesBySite,
});

/** The tab whose toolbar button was clicked last ("Share this tab"), so a restarted service worker knows it. */
export const invokedTabItem = defineChecked<number | null>('session:invokedTabId', {
  fallback: null,
  version: 1,
  migrations: {},
  check: readTabId,
});

/** The sharing state the service worker restores after a restart ('off' when none). */
export const sharingItem = defineChecked<SharingState>('session:sharing', {
  fallback: { status: 'off' },
  version: 1,
  migrations: {},
  check: readSharingState,
});

/** Firefox only: the tab capture the suspended event page resumes when it starts again; null when none. */
export const firefoxTabCaptureItem = defineChecked<StoredTabCapture | null>('session:firefoxTabCapture', {
  fallback: null,
  version: 1,
  migrations: {},
  check: readTabCapture,
});

/**
 * The running Live conversation (turn map and reconnect snapshot with the resumption handle), null when none:
 * session storage, so a restarted service worker resumes it, and the browser's close forgets it.
 */
export const liveItem = defineChecked<LiveRecord | null>('session:live', {
  fallback: null,
  version: 1,
  migrations: {},
  check: readLiveRecord,
});
