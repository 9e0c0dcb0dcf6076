/**
 * When the panel tells the service worker that a question is being typed (the 'typing' command): on the first
 * keystroke of a question, then at most once per TYPING_HINT_MS while typing goes on, so the frame taken ahead
 * stays close to what is on screen when Enter is pressed. Clearing the box (a question sent) starts over.
 */

/** Least time between two hints while one question is typed (ms). */
export const TYPING_HINT_MS = 2000;

/**
 * Returns the function to call with the box's text after every edit; it calls `send` when a hint is due.
 * `now` is epoch ms (replaceable in tests).
 */
export function typingHints(send: () => void, now: () => number = Date.now): (text: string) => void {
  let last: number | undefined;
  return (text) => {
    if (text.trim() === '') {
      last = undefined;
      return;
    }
    const t = now();
    if (last !== undefined && t - last < TYPING_HINT_MS) return;
    last = t;
    send();
  };
}
