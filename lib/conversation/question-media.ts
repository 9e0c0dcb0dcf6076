/**
 * What a question takes with it (issue 14): the frame of now (or an earlier scene the person chose), the crop
 * of a region they pointed at, the tab's last minute of sound, and the notes that say what each is. A step of
 * the conversation queue (the ask step).
 */
import type { Settings } from '../core/settings.ts';
import type { Region } from '../core/frames/redaction.ts';
import { pointedRegion } from '../core/region/crop.ts';
import { asksAboutSound } from '../core/audio/clip.ts';
import { isPlaceQuestion } from '../core/answers/boxes.ts';
import { mayShow } from '../core/conversation/conversation-state.ts';
import {
  noSoundAttachment,
  POINT_NOTE,
  REGION_NOTE,
  regionAttachment,
  sceneAttachment,
  soundAttachment,
  type Attachment,
} from '../core/ask/attachments.ts';
import type { Turn } from '../core/types.ts';
import type { ConversationContext } from './context.ts';
import type { FramePayload } from '../protocol/messages.ts';
import { grabRegionCrop, keepQuestionFrame, takeQuestionFrame } from './frames.ts';

/** A question as the panel asked it (PanelCommand 'ask' and 'ask-about-scene'). */
export interface AskRequest {
  text: string;
  /** "Look closer": a larger, sharper frame of now. */
  closer?: boolean;
  /** Point and ask: a region of the frame (fractions); its full-resolution crop goes before the whole frame. */
  region?: Region;
  /** The tab's last minute of sound: always (true), never (false), or when the question asks about speech (absent). */
  withSound?: boolean;
  /** Boxes on the frame: always (true), never (false), or when the question asks where something is (absent). */
  pointBack?: boolean;
  /** Ask about this earlier scene (a frame id) instead of the frame of now. */
  sceneFrameId?: string;
}

/** What the ask step gathered: the turn's new fields, the request's attachments, and whether to offer point_at. */
export interface QuestionMedia {
  patch: Partial<Turn>;
  attachments: Attachment[];
  /** The question's frame is what boxes are drawn on; point_at is offered only with one. */
  pointAt: boolean;
}

/** A scene chosen on an old timeline that is no longer kept (forgotten past MAX_FRAMES, or another conversation's). */
const SCENE_GONE: Attachment = {
  placement: 'before-question',
  parts: [{ text: '[The person chose an earlier scene that is no longer kept: answer from the conversation so far, and say so.]' }],
};

const NO_SOUND_HERE = (ctx: ConversationContext): string =>
  ctx.sharing.state.soundNote ??
  (ctx.sharing.state.status !== 'on' ? 'sharing is paused or off.' : 'Sightline hears only a shared Chrome tab, and this share has no sound.');

/** The frame of now being taken (frames.ts takeQuestionFrame), started by the ask before anything else. */
export type TakenFrame = Promise<FramePayload | Error | undefined>;

/** Whether the question wants the tab's sound and the share hears it (only Gemini takes sound). */
function soundWanted(ctx: ConversationContext, req: AskRequest, settings: Settings): { want: boolean; hearing: boolean } {
  // Sound only to Gemini: an OpenAI-compatible server would take it for a picture.
  const want = settings.backend === 'gemini' && (req.withSound ?? asksAboutSound(req.text));
  return { want, hearing: ctx.sharing.state.status === 'on' && ctx.sharing.state.sound === true };
}

/**
 * Starts taking the question's frame of now, with the sound if it wants it; undefined for a question about an
 * earlier scene, which takes no new frame. The first thing the ask step does (frames.ts takeQuestionFrame).
 */
export function startQuestionFrame(ctx: ConversationContext, req: AskRequest, settings: Settings): TakenFrame | undefined {
  if (req.sceneFrameId !== undefined) return undefined;
  const sound = soundWanted(ctx, req, settings);
  return takeQuestionFrame(ctx, req.closer === true, sound.want && sound.hearing);
}

/**
 * Takes the question's pictures and sound, and says how they go in the request. A scene question takes no
 * new frame: it is about that moment. `taken` is the frame startQuestionFrame started, if the ask did; otherwise it
 * is taken here. Never rejects: a grab that fails is said in a notice (frames.ts).
 */
export async function gatherQuestionMedia(
  ctx: ConversationContext,
  req: AskRequest,
  settings: Settings,
  turnId: string,
  taken?: TakenFrame,
): Promise<QuestionMedia> {
  const attachments: Attachment[] = [];
  const patch: Partial<Turn> = {};
  const gemini = settings.backend === 'gemini';
  if (req.sceneFrameId !== undefined) {
    const scene = ctx.session.frames.find((f) => f.id === req.sceneFrameId);
    if (scene) {
      // Pixels hidden since the scene was captured travel as its note only.
      const sendable = scene.data && mayShow(scene, ctx.sharing.hiddenSince) ? scene : { ...scene, data: '' };
      const turn = ctx.session.turns.find((t) => t.id === turnId);
      attachments.push(sceneAttachment(ctx.session, sendable, turn?.askedAt ?? ctx.now()));
      patch.sceneFrameId = scene.id;
    } else {
      attachments.push(SCENE_GONE);
    }
    return { patch, attachments, pointAt: false };
  }

  const { want: wantSound, hearing } = soundWanted(ctx, req, settings);
  const region = pointedRegion(req.region);
  const frame = await (taken ?? takeQuestionFrame(ctx, req.closer === true, wantSound && hearing));
  const grab = keepQuestionFrame(ctx, frame, req.closer === true, region !== undefined);
  if (grab.frameId) patch.frameId = grab.frameId;
  if (grab.sound) {
    attachments.push(soundAttachment(grab.sound));
    patch.sound = { durationMs: grab.sound.durationMs, bytes: grab.sound.bytes };
  } else if (wantSound) {
    attachments.push(noSoundAttachment(hearing ? 'nothing was heard yet.' : NO_SOUND_HERE(ctx)));
  }

  if (region && grab.frameId) {
    const crop = await grabRegionCrop(ctx, region);
    if (crop) {
      attachments.push(regionAttachment(crop.frame, crop.area, settings.model), REGION_NOTE);
      patch.region = { area: crop.area, frameId: crop.frame.id };
    } else {
      patch.region = { area: region };
    }
  }

  const pointAt = gemini && Boolean(grab.frameId) && (req.pointBack ?? isPlaceQuestion(req.text));
  if (pointAt) attachments.push(POINT_NOTE);
  return { patch, attachments, pointAt };
}
