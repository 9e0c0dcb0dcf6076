/** Hidden regions per site (the `local:redactions` item): hostname, or 'camera' / 'screen'. */
import type { Region } from '../core/frames/redaction.ts';
import { redactionsItem } from './items.ts';

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

/** Forgets every site's regions ("Delete all"). */
export async function deleteAllRedactions(): Promise<void> {
  await redactionsItem.removeValue();
}

/** The session manager's view of hidden regions (RedactionStore in lib/conversation/sharing.ts). */
export const redactionStore = { load: loadRedactions, save: saveRedactions, deleteAll: deleteAllRedactions };
