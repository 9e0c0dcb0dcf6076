/**
 * The RedactionStore the service worker hands the conversation manager (lib/storage/redactions.ts) on WXT's
 * fake browser: regions and the per-site hidden-since times survive a restart, and Delete all removes both.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { HIDING } from '../../lib/core/conversation/conversation-state.ts';

const REGION = { x: 0.25, y: 0.5, w: 0.25, h: 0.125 };

beforeEach(() => {
  fakeBrowser.reset();
});

describe('the redaction store', () => {
  it('keeps each site\'s hidden-since time across a restart, and Delete all removes times and regions', async () => {
    const first = (await import('../../lib/storage/redactions.ts')).redactionStore;
    await first.save('example.com', [REGION]);
    await first.saveHiddenSince('example.com', HIDING);
    await first.saveHiddenSince('example.com', 1_700_000_000_000);
    await first.saveHiddenSince('camera', 1_700_000_000_500);

    vi.resetModules();
    const again = (await import('../../lib/storage/redactions.ts')).redactionStore;
    expect(await again.loadHiddenSince()).toEqual({ 'example.com': 1_700_000_000_000, camera: 1_700_000_000_500 });
    expect(await again.load('example.com')).toEqual([REGION]);

    await again.deleteAll();
    expect(await again.loadHiddenSince()).toEqual({});
    expect(await again.load('example.com')).toEqual([]);
    // Only WXT's version stamps (`<key>$`: { v }) may stay; no site, region or time.
    const left = Object.keys(await fakeBrowser.storage.local.get(null));
    expect(left.filter((k) => !k.endsWith('$'))).toEqual([]);
  });

  it('reads only numbers from what is stored', async () => {
    await fakeBrowser.storage.local.set({ redactionsHiddenSince: { 'a.example': 5, 'b.example': 'soon', 'c.example': -1 } });
    vi.resetModules();
    const store = (await import('../../lib/storage/redactions.ts')).redactionStore;
    expect(await store.loadHiddenSince()).toEqual({ 'a.example': 5 });
  });
});
