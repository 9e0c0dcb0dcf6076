/**
 * What the panel offers beside an error sentence, and the sentence itself with a live retry countdown.
 * Pure: the countdown's clock is passed in, so it can be tested without timers.
 */
import type { ErrorKind, UserError, UserErrorAction } from '../core/types.ts';
import { i18n } from '#i18n';

/** Kinds whose cure is in Settings (proxy URL, token, model, image quality, spend limit). */
const SETTINGS_KINDS: ReadonlySet<ErrorKind> = new Set(['unauthorized', 'forbidden', 'not-configured', 'proxy-unreachable', 'too-large', 'spend-limit']);
/** Kinds where asking the same question again later may well work. */
const RETRY_KINDS: ReadonlySet<ErrorKind> = new Set(['rate-limited', 'stream-dropped', 'upstream', 'unknown']);

/**
 * The action for an error: the one it carries, else one derived from its kind
 * (rate limits and dropped streams: retry; proxy and token problems: Settings; a refused request: edit it).
 */
export function errorActionOf(error: UserError): UserErrorAction | undefined {
  if (error.action) return error.action;
  if (SETTINGS_KINDS.has(error.kind)) return 'open-settings';
  if (RETRY_KINDS.has(error.kind)) return 'retry';
  if (error.kind === 'bad-request') return 'edit-question';
  return undefined;
}

/** Whole seconds left before a retry makes sense, 0 when it does now (or no delay was given). */
export function secondsLeft(error: UserError, since: number, now: number): number {
  if (error.retryAfterSec === undefined) return 0;
  return Math.max(0, Math.ceil(error.retryAfterSec - (now - since) / 1000));
}

const TRY_AGAIN = /\s*Try again in (?:\d+(?:\.\d+)?\s*s(?:econds?)?|a minute)\.?/i;

/**
 * The error's sentence split around its countdown, so only the number changes as time passes:
 * "Too many requests right now." + " Try again in 12 s." — and once the wait is over, no countdown at all.
 * Without a retry delay the message is left as it came.
 */
export function errorSentence(error: UserError, left: number): { text: string; countdown?: string } {
  if (error.retryAfterSec === undefined) return { text: error.message };
  const text = error.message.replace(TRY_AGAIN, '').trim();
  return left > 0 ? { text, countdown: ` ${i18n.t('error.tryAgainIn', { seconds: left })}` } : { text: `${text} ${i18n.t('error.tryAgainNow')}` };
}
