/** Hidden regions per site (hostname, or 'camera' / 'screen'), kept with the extension's storage. */
import { browser } from 'wxt/browser';
import { normalizeRegions, type Region } from '../core/frames/redaction.ts';

const KEY = 'redactions';

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

export async function deleteAllRedactions(): Promise<void> {
  await browser.storage.local.remove(KEY);
}

export const redactionStore = { load: loadRedactions, save: saveRedactions, deleteAll: deleteAllRedactions };
