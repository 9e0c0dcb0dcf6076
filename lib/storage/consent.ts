/** Whether the person has read the consent statement; nothing can be shared before they have. */
import { browser } from 'wxt/browser';

const KEY = 'consent';
/** Bump when what is sent or kept changes, so the statement is shown again. */
export const CONSENT_VERSION = 1;

interface ConsentRecord {
  version: number;
  acceptedAt: number;
}

export async function hasConsented(): Promise<boolean> {
  const stored = (await browser.storage.local.get(KEY))[KEY] as ConsentRecord | undefined;
  return stored?.version === CONSENT_VERSION;
}

export async function recordConsent(now: number = Date.now()): Promise<void> {
  const record: ConsentRecord = { version: CONSENT_VERSION, acceptedAt: now };
  await browser.storage.local.set({ [KEY]: record });
}
