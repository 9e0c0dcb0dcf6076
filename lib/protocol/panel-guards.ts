/**
 * Guards for what crosses PANEL_PORT, so receivers check instead of casting: the service worker accepts only
 * well-formed PanelCommands, the panel only PanelEvents; anything else is ignored. Each table is keyed by every
 * `type` of its union, so adding a message without its check does not compile.
 */
import type { PanelCommand, PanelEvent } from './messages.ts';

type Check = (m: object) => boolean;

/** An own property of `m` (never one inherited or computed by a getter). */
const get = (m: object, key: string): unknown => Object.getOwnPropertyDescriptor(m, key)?.value;
const isString = (m: object, key: string) => typeof get(m, key) === 'string';
const isNumber = (m: object, key: string) => typeof get(m, key) === 'number';
const isObject = (m: object, key: string) => typeof get(m, key) === 'object' && get(m, key) !== null;
const always: Check = () => true;

const SOURCES = ['tab', 'camera', 'screen'];

const COMMAND_CHECKS: { [T in PanelCommand['type']]: Check } = {
  share: (m) => SOURCES.includes(String(get(m, 'source'))),
  pause: always,
  resume: always,
  'stop-sharing': always,
  // The region itself is checked where it is used (pointedRegion).
  ask: (m) =>
    isString(m, 'text') &&
    ['closer', 'withSound', 'pointBack'].every((k) => ['undefined', 'boolean'].includes(typeof get(m, k))) &&
    ['undefined', 'object'].includes(typeof get(m, 'region')),
  'ask-about-scene': (m) => isString(m, 'frameId') && isString(m, 'text'),
  'get-timeline': (m) => ['undefined', 'number'].includes(typeof get(m, 'since')),
  'get-frame': (m) => isString(m, 'frameId'),
  // The regions themselves are normalised where they are used (normalizeRegions).
  'set-redactions': (m) => Array.isArray(get(m, 'regions')),
  'list-conversations': always,
  'open-conversation': (m) => isString(m, 'id'),
  'delete-conversation': (m) => isString(m, 'id'),
  'delete-all': always,
  'stop-answer': always,
  typing: always,
  'new-conversation': always,
  'dismiss-notice': always,
  'start-live': always,
  'end-live': always,
  mute: (m) => typeof get(m, 'muted') === 'boolean',
};

const EVENT_CHECKS: { [T in PanelEvent['type']]: Check } = {
  state: (m) => isObject(m, 'state'),
  turn: (m) => isObject(m, 'turn'),
  'answer-delta': (m) => isString(m, 'turnId') && isString(m, 'text'),
  // No thumbnail means "clear it" (sharing stopped).
  thumbnail: (m) => {
    const t = get(m, 'thumbnail');
    return t === undefined || (typeof t === 'object' && t !== null && isString(t, 'dataUrl') && isNumber(t, 'capturedAt'));
  },
  conversations: (m) => Array.isArray(get(m, 'sessions')),
  'live-level': (m) => isNumber(m, 'level'),
  timeline: (m) => Array.isArray(get(m, 'scenes')),
  frame: (m) => isString(m, 'frameId'),
};

const commandChecks = new Map<unknown, Check>(Object.entries(COMMAND_CHECKS));
const eventChecks = new Map<unknown, Check>(Object.entries(EVENT_CHECKS));

function passes(m: unknown, checks: Map<unknown, Check>): boolean {
  if (typeof m !== 'object' || m === null) return false;
  return checks.get(get(m, 'type'))?.(m) ?? false;
}

/** A command the panel may send: a known `type` with the fields it needs. */
export function isPanelCommand(m: unknown): m is PanelCommand {
  return passes(m, commandChecks);
}

/** An event the service worker may send: a known `type` with the fields it needs. */
export function isPanelEvent(m: unknown): m is PanelEvent {
  return passes(m, eventChecks);
}
