/**
 * What goes with the question just asked besides the history (issue 14): the crop of a region the person
 * pointed at, the tab's last minute of sound, an earlier scene chosen on the timeline, and notes that say what
 * they are. They are added to the last user turn of a request built by history.ts, and only to that request:
 * a later question replays the answer, not the crop or the sound. Pure.
 */
import type { Content, Part } from '@google/genai';
import { mediaFor, modelFamily, roleOf } from '../conversation/media-resolution.ts';
import { describeRegion, type Region } from '../frames/redaction.ts';
import type { SoundClip } from '../audio/clip.ts';
import { clock } from '../conversation/history.ts';
import type { Frame, Conversation } from '../types.ts';

/** Where in the last user turn an attachment goes. */
export type Placement =
  /** Right before the question's own frame (its label and image): a crop is read first, then its surroundings. */
  | 'before-frame'
  /** Right before the question's text. */
  | 'before-question'
  /** After the question's text (instructions about this question). */
  | 'after-question';

export interface Attachment {
  placement: Placement;
  parts: Part[];
}

/**
 * The per-part detail for a picture that must be read closely: "Look closer"'s level for the model's family
 * (ULTRA_HIGH on Gemini 3; Gemini 2.x has no per-part field and tiles the picture at full size), per
 * media-resolution.ts (docs/decisions/0007-media-resolution.md).
 */
export function sharpest(model: string | undefined, width: number, height: number): Pick<Part, 'mediaResolution'> {
  const { mediaResolution } = mediaFor(modelFamily(model), roleOf('region'), width, height);
  return mediaResolution ? { mediaResolution } : {};
}

/** The crop of the region the person pointed at, before the whole frame: label, then the picture at the most detail. */
export function regionAttachment(crop: Frame, area: Region, model: string | undefined): Attachment {
  return {
    placement: 'before-frame',
    parts: [
      { text: `[The region the person pointed at (${describeRegion(area)} of the frame below), at full resolution, ${crop.width}x${crop.height} px]` },
      { inlineData: { mimeType: crop.mimeType, data: crop.data }, ...sharpest(model, crop.width, crop.height) },
    ],
  };
}

/** Says, after the question, how the crop and the whole frame relate. */
export const REGION_NOTE: Attachment = {
  placement: 'after-question',
  parts: [{ text: '(The person pointed at a region of the screen while asking: the close-up crop above shows it; the frame after it shows the whole screen around it.)' }],
};

/** The tab's sound before the question, as audio. */
export function soundAttachment(sound: SoundClip): Attachment {
  const seconds = Math.round(sound.durationMs / 1000);
  return {
    placement: 'before-question',
    parts: [
      { text: `[The shared tab's sound: the last ${seconds} s before this question, as audio]` },
      { inlineData: { mimeType: sound.mimeType, data: sound.data } },
    ],
  };
}

/** Tells the model no sound came, when the question was about it: it must not guess what was said. */
export function noSoundAttachment(reason: string): Attachment {
  return { placement: 'before-question', parts: [{ text: `[No sound of the shared tab came with this question: ${reason}]` }] };
}

/** An earlier scene the person chose on the timeline: its picture when it may be sent, else its note. */
export function sceneAttachment(session: Conversation, scene: Frame, askedAt: number): Attachment {
  const at = clock(scene.capturedAt - session.createdAt);
  const ago = Math.max(0, Math.round((askedAt - scene.capturedAt) / 1000));
  const head = `[The person chose the scene captured at ${at} (${ago} s before this question): the question is about that moment`;
  if (scene.data) return { placement: 'before-question', parts: [{ text: `${head}]` }, { inlineData: { mimeType: scene.mimeType, data: scene.data } }] };
  const showed = scene.note ? `; its picture is no longer kept, and it showed: ${scene.note}]` : '; its picture is no longer kept and it has no note]';
  return { placement: 'before-question', parts: [{ text: `${head}${showed}` }] };
}

/** Asks for boxes when the question is about where something is (lib/core/answers/boxes.ts, isPlaceQuestion). */
export const POINT_NOTE: Attachment = {
  placement: 'after-question',
  parts: [{ text: '(If your answer is about where something is on the screen, call point_at once for each place, with box_2d on the frame taken when this question was asked.)' }],
};

/**
 * `contents` with the attachments added to its last user turn. 'before-frame' goes before the label of the
 * inline image whose data is `frameData` (the question's frame); without that image, before the question.
 * The question's text is the turn's last part (history.ts builds it so). Returns new arrays; `contents` is left as is.
 */
export function withAttachments(contents: Content[], frameData: string | undefined, attachments: readonly Attachment[]): Content[] {
  const lastIndex = contents.length - 1;
  const last = contents[lastIndex];
  if (!last || last.role === 'model' || attachments.length === 0) return contents;
  const parts = [...(last.parts ?? [])];
  const questionAt = Math.max(0, parts.length - 1);
  let frameAt = frameData ? parts.findIndex((p) => p.inlineData?.data === frameData) : -1;
  if (frameAt > 0 && typeof parts[frameAt - 1]?.text === 'string') frameAt -= 1;
  const at = (p: Placement) => (p === 'before-frame' && frameAt >= 0 ? frameAt : p === 'after-question' ? parts.length : questionAt);
  // Inserted from the back, so earlier indices stay right; equal places keep the attachments' order.
  const placed = attachments.map((a, k) => ({ a, k, index: at(a.placement) })).sort((x, y) => y.index - x.index || y.k - x.k);
  for (const { a, index } of placed) parts.splice(index, 0, ...a.parts);
  return [...contents.slice(0, lastIndex), { ...last, parts }];
}
