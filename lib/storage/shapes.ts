/**
 * The shapes kept in browser.storage besides settings, and the checks that turn whatever is stored into
 * them. Pure. Each `read…` takes anything and returns a value callers can trust, or the fallback.
 */
import type { CaptureSettings, SharingState, SharingStatus } from '../protocol/messages.ts';
import type { SourceKind } from '../core/types.ts';
import type { LiveRecord } from '../protocol/live.ts';
import { normalizeRegions, type Region } from '../core/frames/redaction.ts';

/** That the person accepted the notice on what is sent and kept. */
export interface ConsentRecord {
  /** Version of the notice they accepted (CONSENT_VERSION in consent.ts when they accepted). */
  version: number;
  /** Epoch milliseconds of the click on "I understand". */
  acceptedAt: number;
}

/** Hidden regions by site: a hostname, or 'camera' / 'screen'. Lists are never empty. */
export type RegionsBySite = Record<string, Region[]>;

/** A Firefox tab capture that must resume when the suspended event page starts again. */
export interface StoredTabCapture {
  tabId: number;
  settings: CaptureSettings;
  paused: boolean;
}

const STATUSES: readonly SharingStatus[] = ['off', 'starting', 'on', 'paused'];
const SOURCES: readonly SourceKind[] = ['tab', 'camera', 'screen'];

/** The consent record, or null when there is none or it is malformed (so the notice shows again). */
export function readConsent(raw: unknown): ConsentRecord | null {
  if (!isRecord(raw) || !isCount(raw.version) || !isCount(raw.acceptedAt)) return null;
  return { version: raw.version, acceptedAt: raw.acceptedAt };
}

/** Every site's regions through normalizeRegions; sites left with none are dropped. */
export function readRegionsBySite(raw: unknown): RegionsBySite {
  if (!isRecord(raw)) return {};
  const entries = Object.entries(raw).map(([site, regions]) => [site, normalizeRegions(regions)] as const);
  // fromEntries defines own properties, so no hostname can reach the prototype.
  return Object.fromEntries(entries.filter(([, regions]) => regions.length > 0));
}

/** Per site, a time in epoch milliseconds. */
export type TimesBySite = Record<string, number>;

/** Every site whose time is a non-negative number; others are dropped. */
export function readTimesBySite(raw: unknown): TimesBySite {
  if (!isRecord(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, number] => isCount(e[1])));
}

/** A browser tab id (a non-negative integer), or null. */
export function readTabId(raw: unknown): number | null {
  return isCount(raw) && Number.isInteger(raw) ? raw : null;
}

/** The sharing state; 'off' when nothing valid is stored. Optional fields of the wrong type are dropped. */
export function readSharingState(raw: unknown): SharingState {
  if (!isRecord(raw)) return { status: 'off' };
  const status = STATUSES.find((s) => s === raw.status);
  if (!status) return { status: 'off' };
  const source = SOURCES.find((s) => s === raw.source);
  const tabId = readTabId(raw.tabId);
  return {
    status,
    ...(source ? { source } : {}),
    ...(typeof raw.label === 'string' ? { label: raw.label } : {}),
    ...(tabId !== null ? { tabId } : {}),
    ...(typeof raw.endedReason === 'string' ? { endedReason: raw.endedReason } : {}),
    ...(typeof raw.site === 'string' ? { site: raw.site } : {}),
    ...(typeof raw.sound === 'boolean' ? { sound: raw.sound } : {}),
    ...(typeof raw.soundNote === 'string' ? { soundNote: raw.soundNote } : {}),
  };
}

/** The remembered Firefox tab capture, or null when there is none or it is malformed (nothing resumes). */
export function readTabCapture(raw: unknown): StoredTabCapture | null {
  if (!isRecord(raw) || !isRecord(raw.settings) || typeof raw.paused !== 'boolean') return null;
  const tabId = readTabId(raw.tabId);
  const { fps, minFps, quality, maxSide, redactions } = raw.settings;
  if (tabId === null || !isCount(fps) || !isCount(minFps) || !isCount(quality) || !isCount(maxSide)) return null;
  const settings: CaptureSettings = { fps, minFps, quality, maxSide, ...(redactions !== undefined ? { redactions: normalizeRegions(redactions) } : {}) };
  return { tabId, settings, paused: raw.paused };
}

/** A plain object (not null, not an array), whose fields are still to be checked. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A finite number, not negative: a count, an id, a rate or epoch milliseconds. */
export function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** The running Live conversation's record (lib/protocol/live.ts), or null when malformed (Live then starts afresh). */
export function readLiveRecord(raw: unknown): LiveRecord | null {
  if (!isRecord(raw) || typeof raw.conversationId !== 'string' || !Array.isArray(raw.lines) || !Array.isArray(raw.answered)) return null;
  const lines = raw.lines.filter((l): l is [number, string] => Array.isArray(l) && typeof l[0] === 'number' && typeof l[1] === 'string');
  return {
    conversationId: raw.conversationId,
    ...(typeof raw.snapshot === 'string' ? { snapshot: raw.snapshot } : {}),
    lines: lines.map(([id, turn]) => [id, turn]),
    ...(typeof raw.lastTurnId === 'string' ? { lastTurnId: raw.lastTurnId } : {}),
    answered: raw.answered.filter((a): a is string => typeof a === 'string'),
    muted: raw.muted === true,
    ...(isCount(raw.startedAt) ? { startedAt: raw.startedAt } : {}),
    ...(isRecord(raw.usageAtStart) && isCount(raw.usageAtStart.promptTokens) && isCount(raw.usageAtStart.answerTokens)
      ? { usageAtStart: { promptTokens: raw.usageAtStart.promptTokens, answerTokens: raw.usageAtStart.answerTokens } }
      : {}),
  };
}
