/**
 * The offscreen document that holds the Live conversation cannot show a permission prompt (platform-facts.md),
 * so the panel, a visible extension page, asks for the microphone once first; once granted for the extension's
 * origin, the offscreen document opens it silently.
 */
import { micErrorSentence } from '../core/live/close-codes.ts';

export type MicPermission = { ok: true } | { ok: false; message: string };

/**
 * Asks for the microphone (the browser prompts the first time) and releases it at once. Resolves with the
 * sentence for a refusal, a missing microphone or one in use (lib/core/live/close-codes.ts); never rejects.
 */
export async function ensureMicPermission(
  mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices,
): Promise<MicPermission> {
  if (!mediaDevices?.getUserMedia) return { ok: false, message: 'This browser does not offer a microphone here.' };
  try {
    const stream = await mediaDevices.getUserMedia({ audio: true });
    // Only the permission was needed: the offscreen document opens its own stream.
    for (const track of stream.getTracks()) track.stop();
    return { ok: true };
  } catch (error) {
    const name = typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name ?? '') : '';
    return { ok: false, message: micErrorSentence(name) };
  }
}
