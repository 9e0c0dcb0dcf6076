/**
 * The scene timeline (issue 14, items 4 and 5): the kept frames of a conversation as scenes with times and
 * the model's notes, for the `timeline` tool and for the panel's strip of thumbnails. Pure.
 */
import type { Frame, Conversation } from '../types.ts';
import { clock } from '../conversation/history.ts';

/** One kept scene. */
export interface TimelineScene {
  frameId: string;
  /** Epoch milliseconds at which it was captured. */
  capturedAt: number;
  /** "m:ss" since the conversation started: the clock of the frame labels in requests. */
  at: string;
  /** Local time of day, "HH:MM:SS". */
  timeOfDay: string;
  /** Why it was kept: sampled while sharing, taken for a question, or a "look closer" frame. */
  reason: Frame['reason'];
  /** The model's one-line note of what it showed, when it has one. */
  note?: string;
  /** Whether its pixels are still held (frames' pixels are kept for the newest few, or on disk with "keep frames"). */
  hasPicture: boolean;
}

/** Most scenes the timeline gives: the newest are kept. */
export const MAX_TIMELINE_SCENES = 60;

const pad = (n: number) => String(n).padStart(2, '0');

/** "HH:MM:SS" in the runtime's local time zone. */
export function timeOfDay(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "m:ss" or "h:mm:ss" (elapsed since the conversation started) as milliseconds; undefined when it is neither. */
export function parseElapsed(text: string): number | undefined {
  const m = /^\s*(?:(\d+):)?(\d{1,3}):([0-5]\d)\s*$/.exec(text);
  if (!m) return undefined;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}

/**
 * A local time of day "HH:MM" or "HH:MM:SS" as the latest such moment at or before `now` (epoch ms): "10:42"
 * asked at 10:50 is today's 10:42; asked at 09:00 it is yesterday's. Undefined when it is not a time of day.
 */
export function parseTimeOfDay(text: string, now: number): number | undefined {
  const m = /^\s*([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\s*$/.exec(text);
  if (!m) return undefined;
  const d = new Date(now);
  d.setHours(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), 0);
  const at = d.getTime();
  return at <= now ? at : at - 24 * 3600 * 1000;
}

/** A conversation's scenes captured at or after `sinceMs` (epoch ms), oldest first, the newest MAX_TIMELINE_SCENES. */
export function timelineOf(session: Conversation, sinceMs?: number): TimelineScene[] {
  return session.frames
    // A region crop is part of a question's frame, not a scene of its own.
    .filter((f) => f.reason !== 'region' && (sinceMs === undefined || f.capturedAt >= sinceMs))
    .slice(-MAX_TIMELINE_SCENES)
    .map((f) => ({
      frameId: f.id,
      capturedAt: f.capturedAt,
      at: clock(f.capturedAt - session.createdAt),
      timeOfDay: timeOfDay(f.capturedAt),
      reason: f.reason,
      ...(f.note ? { note: f.note } : {}),
      hasPicture: Boolean(f.data),
    }));
}
