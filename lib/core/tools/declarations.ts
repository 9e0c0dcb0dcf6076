/**
 * The functions the model may call in a typed answer (issue 14, items 2 and 4), as Gemini function
 * declarations (https://ai.google.dev/gemini-api/docs/function-calling; REST shape: FunctionDeclaration with an
 * OpenAPI `parameters` Schema, https://ai.google.dev/api/caching#FunctionDeclaration). Pure; the SDK's enums
 * are used by their string values, so core imports @google/genai as types only (README, layer rules).
 */
import type { FunctionDeclaration, Schema, Type } from '@google/genai';

/** Every function a model may call here. */
export type ToolName = 'look_closer' | 'read_page' | 'timeline' | 'point_at';

const t = (type: 'OBJECT' | 'STRING' | 'INTEGER' | 'ARRAY'): Type => type as Type;

/** `[ymin, xmin, ymax, xmax]` in 0..1000: Gemini's own box convention, so the model needs no new one. */
const BOX_2D: Schema = {
  type: t('ARRAY'),
  items: { type: t('INTEGER') },
  minItems: '4',
  maxItems: '4',
  description: '[ymin, xmin, ymax, xmax] normalised to 0-1000 of the frame taken when the question was asked (the full frame, not a close-up or crop).',
};

export const TOOL_DECLARATIONS: Readonly<Record<ToolName, FunctionDeclaration>> = {
  look_closer: {
    name: 'look_closer',
    description:
      'Takes a fresh, sharper picture of what is shared right now, at up to 1536 px: the whole screen, or only the part in box_2d at full resolution. Use it when text or detail is too small to read. Hidden regions stay black.',
    parameters: { type: t('OBJECT'), properties: { box_2d: BOX_2D } },
  },
  read_page: {
    name: 'read_page',
    description:
      "Returns the shared browser tab's title and its text as rendered (up to 20,000 characters). Use it to quote or search long text exactly. Refused on private sites, while sharing is paused, when the person hid regions of the page, or before they allowed it.",
    parameters: { type: t('OBJECT'), properties: {} },
  },
  timeline: {
    name: 'timeline',
    description:
      'Lists the scenes kept since the conversation started (or since a time), oldest first: when each was captured (m:ss since the start, the clock of the frame labels, and local time of day) and what it showed. Use it for "what changed since...".',
    parameters: {
      type: t('OBJECT'),
      properties: {
        since: { type: t('STRING'), description: 'Only scenes captured at or after this moment, as "m:ss" or "h:mm:ss" since the conversation started (the clock of the frame labels).' },
        since_time_of_day: { type: t('STRING'), description: 'Instead of since: a local time of day "HH:MM" the person named ("what changed since 10:42?").' },
      },
    },
  },
  point_at: {
    name: 'point_at',
    description:
      'Marks a place on the screen for the person: call it once for each place your answer is about (a button, a line, a cell), with a short label. The box is drawn on the frame taken when the question was asked.',
    parameters: {
      type: t('OBJECT'),
      properties: { label: { type: t('STRING'), description: 'A few words naming the place, as in your answer.' }, box_2d: BOX_2D },
      required: ['label', 'box_2d'],
    },
  },
};

/** The declarations of `names`, in a stable order, for a request's `tools`. */
export function declarationsFor(names: ReadonlySet<ToolName>): FunctionDeclaration[] {
  return (Object.keys(TOOL_DECLARATIONS) as ToolName[]).filter((n) => names.has(n)).map((n) => TOOL_DECLARATIONS[n]);
}

/** Whether a function call's name is one of ours. */
export function isToolName(name: unknown): name is ToolName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TOOL_DECLARATIONS, name);
}
