/** Hidden regions per site (hostname, or 'camera' / 'screen'), kept with the extension's storage. */
import { browser } from 'wxt/browser';
import { normalizeRegions, type Region } from '../core/frames/redaction.ts';

const KEY = 'redactions';
/** Per site, when a change last hid more (epoch ms): frames captured earlier are never sent. */
const HIDDEN_SINCE_KEY = 'redactionsHiddenSince';

type RegionsBySite = Record<string, Region[]>;

async function all(): Promise<RegionsBySite> {
  const stored = (await browser.storage.local.get(KEY))[KEY];
  return typeof stored === 'object' && stored !== null ? (stored as RegionsBySite) : {};
}

export async function loadRedactions(site: string): Promise<Region[]> {
  return normalizeRegions((await all())[site]);
}

export async function saveRedactions(site: string, regions: Region[]): Promise<void> {
  const next = { ...(await all()) };
  if (regions.length) next[site] = normalizeRegions(regions);
  else delete next[site];
  await browser.storage.local.set({ [KEY]: next });
}

/** Per site, when a change to its regions last hid more (epoch ms); {} when none. */
export async function loadHiddenSince(): Promise<Record<string, number>> {
  const stored = (await browser.storage.local.get(HIDDEN_SINCE_KEY))[HIDDEN_SINCE_KEY];
  if (typeof stored !== 'object' || stored === null) return {};
  return Object.fromEntries(Object.entries(stored).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

export async function saveHiddenSince(site: string, at: number): Promise<void> {
  await browser.storage.local.set({ [HIDDEN_SINCE_KEY]: { ...(await loadHiddenSince()), [site]: at } });
}

export async function deleteAllRedactions(): Promise<void> {
  await browser.storage.local.remove([KEY, HIDDEN_SINCE_KEY]);
}

export const redactionStore = { load: loadRedactions, save: saveRedactions, loadHiddenSince, saveHiddenSince, deleteAll: deleteAllRedactions };
