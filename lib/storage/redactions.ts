/**
 * Hidden regions per site (the `local:redactions` item): hostname, or 'camera' / 'screen'; and per site when
 * a change last hid more (the `local:redactionsHiddenSince` item), so frames taken before are never sent.
 */
import type { Region } from '../core/frames/redaction.ts';
import { hiddenSinceItem, redactionsItem } from './items.ts';

/** The site's hidden regions (normalised; none when nothing is stored). */
export async function loadRedactions(site: string): Promise<Region[]> {
  return (await redactionsItem.getValue())[site] ?? [];
}

/** Replaces the site's regions (normalised); an empty list forgets the site. */
export async function saveRedactions(site: string, regions: Region[]): Promise<void> {
  const next = { ...(await redactionsItem.getValue()), [site]: regions };
  // An empty list is dropped by the item's check, so the site is forgotten.
  await redactionsItem.setValue(next);
}

/** Per site, when a change to its regions last hid more (epoch ms); {} when none. */
export async function loadHiddenSince(): Promise<Record<string, number>> {
  return hiddenSinceItem.getValue();
}

/** Records when the site last hid more (epoch ms). */
export async function saveHiddenSince(site: string, at: number): Promise<void> {
  await hiddenSinceItem.setValue({ ...(await hiddenSinceItem.getValue()), [site]: at });
}

/** Forgets every site's regions and times ("Delete all"). */
export async function deleteAllRedactions(): Promise<void> {
  await Promise.all([redactionsItem.removeValue(), hiddenSinceItem.removeValue()]);
}

/** The conversation manager's view of hidden regions (RedactionStore in lib/conversation/sharing.ts). */
export const redactionStore = { load: loadRedactions, save: saveRedactions, loadHiddenSince, saveHiddenSince, deleteAll: deleteAllRedactions };
