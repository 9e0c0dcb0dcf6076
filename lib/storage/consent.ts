/** Whether the person has read the consent notice (the `local:consent` item); nothing can be shared before. */
import { consentItem } from './items.ts';

/** Bump when what is sent or kept changes, so the notice is shown again. */
export const CONSENT_VERSION = 1;

/** True when the person accepted the current version of the notice. */
export async function hasConsented(): Promise<boolean> {
  return (await consentItem.getValue())?.version === CONSENT_VERSION;
}

/** Records that the person accepted the current notice at `now` (epoch milliseconds). */
export async function recordConsent(now: number = Date.now()): Promise<void> {
  await consentItem.setValue({ version: CONSENT_VERSION, acceptedAt: now });
}
