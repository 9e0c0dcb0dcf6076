/**
 * The dispatch table of the model's function calls (issue 14, items 2 and 4): each call's arguments checked,
 * its effect run, and its result shaped as a Gemini functionResponse the model can read, plus a compact record
 * for the log. Pure: the effects (a grab, reading the page, the conversation's frames) are injected, and time
 * limits are the caller's (lib/conversation/tool-loop.ts). Never throws: a bad call or a failing effect becomes
 * `{ error: "..." }`, as the function-calling guide asks for errors
 * (https://ai.google.dev/gemini-api/docs/function-calling; FunctionResponse.response "output" / "error" keys).
 */
import type { Region } from '../frames/redaction.ts';
import { describeRegion } from '../frames/redaction.ts';
import type { ToolCallRecord } from '../types.ts';
import { parseBoxes, regionOfBox2d, type PointedBox } from '../answers/boxes.ts';
import { isToolName } from './declarations.ts';
import { parseElapsed, parseTimeOfDay, type TimelineScene } from './timeline.ts';

/** A picture a tool hands the model. */
export interface ToolImage {
  mimeType: 'image/jpeg';
  /** Base64 JPEG. */
  data: string;
  width: number;
  height: number;
}

/** The shared tab's text, as read_page returns it. */
export interface PageText {
  title: string;
  text: string;
}

/** Longest page text handed to the model (characters): about 5,000 tokens. */
export const MAX_PAGE_CHARS = 20_000;

/** What the tools do, supplied by the conversation; each effect rejects with a sentence the model can read. */
export interface ToolEffects {
  lookCloser(region: Region | undefined): Promise<ToolImage>;
  readPage(): Promise<PageText>;
  /** Scenes since an epoch-ms time (all when undefined), with pictures of a few that have no note yet. */
  timeline(sinceMs: number | undefined): Promise<{ scenes: TimelineScene[]; images: Array<{ frameId: string; image: ToolImage }> }>;
  /** Epoch ms: the conversation's start and now (for `since`). */
  startedAt: number;
  now: number;
}

/** One function call's outcome. */
export interface ToolOutcome {
  /** FunctionResponse.response: `{ output }` or `{ error }`. */
  response: Record<string, unknown>;
  /** Pictures that follow the response in the same user turn, each after its text label. */
  media: Array<{ label: string; image: ToolImage }>;
  record: ToolCallRecord;
  /** point_at's box, when it was a good one. */
  boxes?: PointedBox[];
}

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The arguments as the log keeps them: strings cut to 200 characters, at most 8 keys. */
export function compactArgs(args: unknown): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args).slice(0, 8)) out[k] = typeof v === 'string' ? short(v, 200) : Array.isArray(v) ? v.slice(0, 8) : v;
  return out;
}

function failed(name: string, args: Record<string, unknown>, message: string): ToolOutcome {
  return { response: { error: message }, media: [], record: { name, args, ok: false, summary: short(message, 160) } };
}

async function lookCloser(args: Record<string, unknown>, fx: ToolEffects): Promise<ToolOutcome> {
  let region: Region | undefined;
  if (args.box_2d !== undefined) {
    region = regionOfBox2d(args.box_2d);
    if (!region) return failed('look_closer', args, 'box_2d must be [ymin, xmin, ymax, xmax], whole numbers within 0-1000 with min below max.');
  }
  const image = await fx.lookCloser(region);
  const what = region ? `the part at ${describeRegion(region)}` : 'the whole screen';
  return {
    response: { output: `A sharper picture of ${what} (${image.width}x${image.height} px) follows.` },
    media: [{ label: `[Close-up taken by look_closer: ${what}, ${image.width}x${image.height} px]`, image }],
    record: { name: 'look_closer', args, ok: true, summary: `${image.width}×${image.height} picture of ${what}`, picture: { width: image.width, height: image.height } },
  };
}

async function readPage(args: Record<string, unknown>, fx: ToolEffects): Promise<ToolOutcome> {
  const page = await fx.readPage();
  const truncated = page.text.length > MAX_PAGE_CHARS;
  const text = truncated ? page.text.slice(0, MAX_PAGE_CHARS) : page.text;
  return {
    response: { output: { title: page.title, text, ...(truncated ? { truncated: `only the first ${MAX_PAGE_CHARS} characters` } : {}) } },
    media: [],
    record: { name: 'read_page', args, ok: true, summary: `read “${short(page.title || 'untitled', 60)}” (${page.text.length.toLocaleString('en')} characters)`, title: short(page.title, 60) },
  };
}

async function timeline(args: Record<string, unknown>, fx: ToolEffects): Promise<ToolOutcome> {
  let sinceMs: number | undefined;
  if (args.since !== undefined) {
    const elapsed = typeof args.since === 'string' ? parseElapsed(args.since) : undefined;
    if (elapsed === undefined) return failed('timeline', args, 'since must be "m:ss" or "h:mm:ss" since the conversation started.');
    sinceMs = fx.startedAt + elapsed;
  } else if (args.since_time_of_day !== undefined) {
    sinceMs = typeof args.since_time_of_day === 'string' ? parseTimeOfDay(args.since_time_of_day, fx.now) : undefined;
    if (sinceMs === undefined) return failed('timeline', args, 'since_time_of_day must be a local time of day "HH:MM".');
  }
  const { scenes, images } = await fx.timeline(sinceMs);
  const lines = scenes.map((s) => ({ at: s.at, timeOfDay: s.timeOfDay, kind: s.reason, ...(s.note ? { showed: s.note } : { showed: images.some((i) => i.frameId === s.frameId) ? '(picture attached)' : '(no note)' }) }));
  const byId = new Map(scenes.map((s) => [s.frameId, s]));
  return {
    response: { output: { scenes: lines, ...(scenes.length === 0 ? { note: 'No scenes were kept in that time.' } : {}) } },
    media: images.map(({ frameId, image }) => ({ label: `[Scene captured at ${byId.get(frameId)?.at ?? '?'} (${byId.get(frameId)?.timeOfDay ?? '?'})]`, image })),
    record: { name: 'timeline', args, ok: true, summary: `${scenes.length} scene${scenes.length === 1 ? '' : 's'}${sinceMs !== undefined ? ` since ${short(String(args.since ?? args.since_time_of_day), 12)}` : ''}`, scenes: scenes.length },
  };
}

function pointAt(args: Record<string, unknown>): ToolOutcome {
  const { boxes } = parseBoxes(args);
  if (boxes.length === 0) return failed('point_at', args, 'Nothing was marked: point_at needs a label and box_2d [ymin, xmin, ymax, xmax], whole numbers within 0-1000 with min below max.');
  return { response: { output: 'Marked on the screen for the person.' }, media: [], record: { name: 'point_at', args, ok: true, summary: `marked “${boxes[0]!.label}”` }, boxes };
}

/** Runs one function call against the effects. Never rejects: failures are `{ error }` responses. */
export async function runTool(call: { name?: unknown; args?: unknown }, fx: ToolEffects): Promise<ToolOutcome> {
  const name = typeof call.name === 'string' ? short(call.name, 64) : '(unnamed)';
  const args = compactArgs(call.args);
  if (!isToolName(call.name)) return failed(name, args, `There is no function called ${name}.`);
  try {
    switch (call.name) {
      case 'look_closer':
        return await lookCloser(args, fx);
      case 'read_page':
        return await readPage(args, fx);
      case 'timeline':
        return await timeline(args, fx);
      case 'point_at':
        return pointAt(args);
    }
  } catch (err) {
    return failed(call.name, args, (err as Error)?.message || String(err));
  }
}
