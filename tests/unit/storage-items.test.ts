/**
 * The browser.storage items (lib/storage/items.ts) on WXT's fake browser: what the release before
 * versioning stored reads unchanged, every read is checked, and the functions over the items keep working.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../lib/core/settings.ts';
import {
  consentItem,
  firefoxTabCaptureItem,
  invokedTabItem,
  redactionsItem,
  settingsItem,
  sharingItem,
} from '../../lib/storage/items.ts';
import { cachedSettings, loadSettings, onSettingsChanged, saveSettings } from '../../lib/storage/settings.ts';
import { hasConsented, recordConsent } from '../../lib/storage/consent.ts';
import { deleteAllRedactions, loadRedactions, saveRedactions } from '../../lib/storage/redactions.ts';
import { rememberInvokedTab, tabToShare } from '../../entrypoints/background/tabs.ts';

// Binary fractions, so normalising (x + w - x) gives back exactly the same numbers.
const REGION = { x: 0.25, y: 0.5, w: 0.25, h: 0.125 };

/** Exactly what the release before versioned items wrote, under the same keys, with no `<key>$` metadata. */
const UNVERSIONED_LOCAL = {
  settings: { ...DEFAULT_SETTINGS, proxyUrl: 'http://127.0.0.1:8787', accessToken: 'tok', fps: 2, keepFrames: true },
  consent: { version: 1, acceptedAt: 1_700_000_000_000 },
  redactions: { 'example.com': [REGION], camera: [REGION, { x: 0.5, y: 0.5, w: 0.2, h: 0.2 }] },
};
const UNVERSIONED_SESSION = {
  invokedTabId: 42,
  sharing: { status: 'paused', source: 'tab', label: 'Example', tabId: 42, site: 'example.com', endedReason: 'Paused: private site.' },
  firefoxTabCapture: { tabId: 42, settings: { fps: 1, minFps: 0.2, quality: 0.7, maxSide: 768, redactions: [REGION] }, paused: false },
};

beforeEach(() => {
  fakeBrowser.reset();
});

describe('an install from before versioned items', () => {
  it('reads every stored value unchanged, as version 1, without rewriting it', async () => {
    await fakeBrowser.storage.local.set(structuredClone(UNVERSIONED_LOCAL));
    await fakeBrowser.storage.session.set(structuredClone(UNVERSIONED_SESSION));
    // Fresh modules, as when the updated extension starts: defining the items runs their migrations now.
    vi.resetModules();
    const items = await import('../../lib/storage/items.ts');
    const settings = await import('../../lib/storage/settings.ts');
    const consent = await import('../../lib/storage/consent.ts');
    const redactions = await import('../../lib/storage/redactions.ts');

    expect(await settings.loadSettings()).toEqual(UNVERSIONED_LOCAL.settings);
    expect(await consent.hasConsented()).toBe(true);
    expect(await redactions.loadRedactions('example.com')).toEqual([REGION]);
    expect(await redactions.loadRedactions('camera')).toHaveLength(2);
    expect(await items.invokedTabItem.getValue()).toBe(42);
    expect(await items.sharingItem.getValue()).toEqual(UNVERSIONED_SESSION.sharing);
    expect(await items.firefoxTabCaptureItem.getValue()).toEqual(UNVERSIONED_SESSION.firefoxTabCapture);

    // Version 1 is today's shape: nothing was migrated, rewritten or stamped.
    expect(await fakeBrowser.storage.local.get(null)).toEqual(UNVERSIONED_LOCAL);
    for (const item of [items.settingsItem, items.consentItem, items.redactionsItem]) expect(item.version).toBe(1);
  });

  it('a later shape change migrates that unversioned value from version 1 (the path the next migration takes)', async () => {
    await fakeBrowser.storage.local.set({ consent: UNVERSIONED_LOCAL.consent });
    // The same key as consentItem, one version on, with a migration renaming a field.
    const next = storage.defineItem<{ noticeVersion: number; acceptedAt: number } | null>('local:consent', {
      fallback: null,
      version: 2,
      migrations: { 2: (v1: { version: number; acceptedAt: number }) => ({ noticeVersion: v1.version, acceptedAt: v1.acceptedAt }) },
    });
    expect(await next.getValue()).toEqual({ noticeVersion: 1, acceptedAt: 1_700_000_000_000 });
    expect(await next.getMeta()).toEqual({ v: 2 });
  });

  it('a fresh install starts from the fallbacks and stamps version 1 on first write', async () => {
    vi.resetModules();
    const items = await import('../../lib/storage/items.ts');
    expect(await items.settingsItem.getValue()).toEqual(DEFAULT_SETTINGS);
    expect(await items.consentItem.getValue()).toBeNull();
    expect(await items.redactionsItem.getValue()).toEqual({});
    expect(await items.sharingItem.getValue()).toEqual({ status: 'off' });
    await items.settingsItem.setValue(DEFAULT_SETTINGS);
    expect((await fakeBrowser.storage.local.get('settings$'))['settings$']).toEqual({ v: 1 });
  });
});

describe('every read is checked', () => {
  it('malformed values read as fallbacks or are repaired, never passed on', async () => {
    await fakeBrowser.storage.local.set({
      settings: { fps: 'fast', quality: 7, model: '  ', privateSites: 'bank.com', extra: true },
      consent: { version: '1', acceptedAt: 5 },
      redactions: { 'a.com': 'nope', 'b.com': [{ x: 0.1, y: 0.1, w: 0, h: 0.5 }], 'c.com': [REGION, { x: 'a' }] },
    });
    await fakeBrowser.storage.session.set({
      invokedTabId: '7',
      sharing: { status: 'broadcasting', tabId: 3 },
      firefoxTabCapture: { tabId: 3, settings: { fps: 'x' }, paused: false },
    });

    expect(await settingsItem.getValue()).toEqual({ ...DEFAULT_SETTINGS, quality: 0.95 });
    expect(await consentItem.getValue()).toBeNull();
    expect(await hasConsented()).toBe(false);
    expect(await redactionsItem.getValue()).toEqual({ 'c.com': [REGION] });
    expect(await invokedTabItem.getValue()).toBeNull();
    expect(await sharingItem.getValue()).toEqual({ status: 'off' });
    expect(await firefoxTabCaptureItem.getValue()).toBeNull();
  });

  it('optional sharing fields of the wrong type are dropped, the rest kept', async () => {
    await fakeBrowser.storage.session.set({ sharing: { status: 'on', source: 'radio', label: 3, tabId: -1, site: 'example.com' } });
    expect(await sharingItem.getValue()).toEqual({ status: 'on', site: 'example.com' });
  });
});

describe('settings', () => {
  it('a spend limit stored under its old name (sessionBudget) still counts; the new name wins when both are there', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, spendLimit: undefined, sessionBudget: 2.5 } });
    expect((await loadSettings()).spendLimit).toBe(2.5);
    expect(normalizeSettings({ sessionBudget: 2.5, spendLimit: 1 }).spendLimit).toBe(1);
    expect(normalizeSettings({ sessionBudget: 2.5 })).not.toHaveProperty('sessionBudget');
  });

  it('saveSettings patches and normalises, and returns what was stored', async () => {
    const saved = await saveSettings({ proxyUrl: ' http://proxy/// ', fps: 50 });
    expect(saved).toEqual(normalizeSettings({ proxyUrl: 'http://proxy', fps: 5 }));
    expect(await loadSettings()).toEqual(saved);
    expect(await saveSettings({ model: 'gemini-x' })).toMatchObject({ proxyUrl: 'http://proxy', fps: 5, model: 'gemini-x' });
  });

  it('onSettingsChanged hears a write from any context, normalised, until unsubscribed', async () => {
    const heard: number[] = [];
    const off = onSettingsChanged((s) => heard.push(s.fps));
    // Another context (or a test harness) writing the raw key.
    await fakeBrowser.storage.local.set({ settings: { fps: 99 } });
    await saveSettings({ fps: 2 });
    off();
    await saveSettings({ fps: 3 });
    expect(heard).toEqual([5, 2]);
  });

  it('cachedSettings reads storage once, then follows every save without reading again', async () => {
    await saveSettings({ fps: 2 });
    const settings = cachedSettings();
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    expect((await settings()).fps).toBe(2);
    const reads = get.mock.calls.length;
    expect((await settings()).fps).toBe(2);
    await saveSettings({ fps: 3 });
    await vi.waitFor(async () => expect((await settings()).fps).toBe(3));
    await fakeBrowser.storage.local.set({ settings: { fps: 99 } });
    await vi.waitFor(async () => expect((await settings()).fps).toBe(5));
    // The saves themselves read (saveSettings merges), the getter does not.
    get.mockClear();
    await settings();
    expect(get).not.toHaveBeenCalled();
    expect(reads).toBeGreaterThan(0);
  });
});

describe('consent, hidden regions, tabs', () => {
  it('consent is recorded with the notice version and time', async () => {
    expect(await hasConsented()).toBe(false);
    await recordConsent(123);
    expect(await hasConsented()).toBe(true);
    expect(await consentItem.getValue()).toEqual({ version: 1, acceptedAt: 123 });
  });

  it('regions are kept per site; an empty list forgets the site; delete all forgets every site', async () => {
    await saveRedactions('example.com', [REGION]);
    await saveRedactions('camera', [{ x: 0.9, y: 0.9, w: 0.5, h: 0.5 }]);
    expect(await loadRedactions('example.com')).toEqual([REGION]);
    expect((await loadRedactions('camera'))[0]).toMatchObject({ x: 0.9, y: 0.9 });
    expect((await loadRedactions('camera'))[0]?.w).toBeCloseTo(0.1);
    await saveRedactions('example.com', []);
    expect(Object.keys(await redactionsItem.getValue())).toEqual(['camera']);
    await deleteAllRedactions();
    expect(await loadRedactions('camera')).toEqual([]);
    expect(await fakeBrowser.storage.local.get('redactions')).toEqual({});
  });

  it('the invoked tab is remembered in session storage and shared while it exists', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://example.com/' });
    rememberInvokedTab(tab.id);
    await vi.waitFor(async () => expect(await invokedTabItem.getValue()).toBe(tab.id));
    expect(await tabToShare()).toBe(tab.id);
  });

  it('the Firefox tab capture round-trips, and null forgets it', async () => {
    await firefoxTabCaptureItem.setValue(UNVERSIONED_SESSION.firefoxTabCapture);
    expect(await firefoxTabCaptureItem.getValue()).toEqual(UNVERSIONED_SESSION.firefoxTabCapture);
    await firefoxTabCaptureItem.setValue(null);
    expect(await fakeBrowser.storage.session.get('firefoxTabCapture')).toEqual({});
  });
});
