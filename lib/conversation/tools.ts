/**
 * The model's tools bound to the conversation (issue 14, item 4): which are offered for a question, and what
 * each does here. Every tool keeps the rules of what is shared: nothing runs while sharing is paused or off,
 * look_closer goes through the capture (hidden regions black), read_page is refused on private sites and while
 * the site has hidden regions (a page's text cannot leave out what a region covers), and the timeline sends
 * only pixels that may still be sent. Steps of the conversation queue wrap every read of the conversation.
 */
import type { FunctionCall } from '@google/genai';
import type { Settings } from '../core/settings.ts';
import { declarationsFor, type ToolName } from '../core/tools/declarations.ts';
import { runTool, type ToolEffects, type ToolImage } from '../core/tools/dispatch.ts';
import { timelineOf } from '../core/tools/timeline.ts';
import { hostnameOf, matchPrivateSite } from '../core/private-sites.ts';
import { mayShow, withoutHiddenPixels } from '../core/conversation/conversation-state.ts';
import type { Region } from '../core/frames/redaction.ts';
import type { ConversationContext } from './context.ts';
import { CLOSER_GRAB } from './manager-deps.ts';
import type { ToolSet } from './tool-loop.ts';

/** Pictures of scenes the timeline attaches at most (newest first), for scenes the model has no note of. */
export const MAX_TIMELINE_PICTURES = 4;

const PAUSED = 'Sharing is paused or off, so nothing can be seen or read now; answer from what you already have.';
const NO_TAB = 'No browser tab is shared (a camera or a screen is), so there is no page to read.';
const HIDDEN =
  'The person hid regions of this page, and a page’s text cannot leave out what a region covers, so read_page is refused while regions are hidden here. Use look_closer instead: hidden regions stay black in pictures.';
export const READ_PAGE_PERMISSION =
  'The model wanted to read the shared page’s text. Allow Sightline to read pages (the browser asks once), then ask again.';

/** Which tools a question gets: Gemini only (the OpenAI-compatible path has none here), and only those that can work now. */
export function offeredTools(ctx: ConversationContext, settings: Settings, pointAt: boolean): Set<ToolName> {
  const names = new Set<ToolName>();
  if (settings.backend !== 'gemini') return names;
  const { status, source } = ctx.sharing.state;
  if (status === 'on') names.add('look_closer');
  if (status === 'on' && source === 'tab') names.add('read_page');
  // A timeline of the question's own frame alone says nothing.
  if (ctx.session.frames.filter((f) => f.reason !== 'region').length > 1) names.add('timeline');
  if (pointAt) names.add('point_at');
  return names;
}

/** The tools of one question, run against this conversation. */
export function toolSet(ctx: ConversationContext, settings: Settings, names: Set<ToolName>): ToolSet | undefined {
  if (names.size === 0) return undefined;
  const inQueue = <T>(work: () => T | Promise<T>): Promise<T> =>
    ctx.run(work).then((v) => (v === undefined ? Promise.reject(new Error('The conversation changed; answer without this.')) : v));
  const effects: Omit<ToolEffects, 'now' | 'startedAt'> = {
    lookCloser: (region) => lookCloser(ctx, region),
    readPage: () => readPage(ctx, settings),
    timeline: (sinceMs) => inQueue(() => timeline(ctx, sinceMs)),
  };
  return {
    declarations: declarationsFor(names),
    run: (call: FunctionCall) => runTool(call, { ...effects, startedAt: ctx.session.createdAt, now: ctx.now() }),
  };
}

async function lookCloser(ctx: ConversationContext, region: Region | undefined): Promise<ToolImage> {
  if (ctx.sharing.state.status !== 'on') throw new Error(PAUSED);
  const payload = await ctx.sharing.grab({ ...CLOSER_GRAB, ...(region ? { crop: region } : {}) });
  return { mimeType: 'image/jpeg', data: payload.data, width: payload.width, height: payload.height };
}

/** Checked before and after reading: a share paused, moved to a private site or given a hidden region meanwhile is not read. */
async function readable(ctx: ConversationContext, settings: Settings): Promise<number> {
  const { status, source, tabId } = ctx.sharing.state;
  if (status !== 'on') throw new Error(PAUSED);
  if (source !== 'tab' || tabId === undefined) throw new Error(NO_TAB);
  const host = hostnameOf(await ctx.deps.tabUrl(tabId).catch(() => undefined));
  if (!host) throw new Error('The shared tab’s address is unknown, so it cannot be checked against the private sites; it is not read.');
  if (matchPrivateSite(host, settings.privateSites ?? [])) throw new Error(`${host} is on the person’s list of private sites: its text is not read.`);
  if (ctx.sharing.redactions.length > 0) throw new Error(HIDDEN);
  return tabId;
}

async function readPage(ctx: ConversationContext, settings: Settings) {
  const tabId = await readable(ctx, settings);
  const res = await ctx.deps.readPage(tabId);
  if (!res.ok) {
    if (res.permission) {
      await ctx.run(() => {
        ctx.notice = { kind: 'read-page-permission', message: READ_PAGE_PERMISSION };
        ctx.emitState();
      });
    }
    throw new Error(res.message);
  }
  if ((await readable(ctx, settings)) !== tabId) throw new Error(NO_TAB);
  return { title: res.title, text: res.text };
}

function timeline(ctx: ConversationContext, sinceMs: number | undefined) {
  // Pixels a region hidden since covers are never sent, here as anywhere.
  const session = withoutHiddenPixels(ctx.session, ctx.sharing.hiddenSince);
  const scenes = timelineOf(session, sinceMs);
  const byId = new Map(session.frames.map((f) => [f.id, f]));
  const images = scenes
    .filter((s) => !s.note && s.hasPicture && mayShow(byId.get(s.frameId)!, ctx.sharing.hiddenSince))
    .slice(-MAX_TIMELINE_PICTURES)
    .map((s) => {
      const f = byId.get(s.frameId)!;
      return { frameId: s.frameId, image: { mimeType: 'image/jpeg' as const, data: f.data, width: f.width, height: f.height } };
    });
  return { scenes, images };
}
