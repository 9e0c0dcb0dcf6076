/**
 * The model's function calls as sentences a person reads under the answer ("Marked “Export”", "Looked closer at
 * the bottom right (a 767×492 picture)", "Could not read the page: …"), not as `name(args)`. The record's own
 * `summary` is English for the log and the model's trail; it is shown only for calls this file does not know.
 */
import type { ToolCallRecord } from '../core/types.ts';
import { regionOfBox2d } from '../core/answers/boxes.ts';
import { placeOf, type Spot } from '../core/region/place.ts';
import type { Region } from '../core/frames/redaction.ts';
import { i18n } from '#i18n';

const SPOT_WORDS: Record<Spot, () => string> = {
  'top-left': () => i18n.t('tools.where.topLeft'),
  top: () => i18n.t('tools.where.top'),
  'top-right': () => i18n.t('tools.where.topRight'),
  left: () => i18n.t('tools.where.left'),
  centre: () => i18n.t('tools.where.centre'),
  right: () => i18n.t('tools.where.right'),
  'bottom-left': () => i18n.t('tools.where.bottomLeft'),
  bottom: () => i18n.t('tools.where.bottom'),
  'bottom-right': () => i18n.t('tools.where.bottomRight'),
};

/** A region in words: "the bottom right quarter", "the top half", "the whole screen". */
export function placeWords(r: Region | undefined): string {
  if (!r) return i18n.t('tools.whole');
  const { size, spot } = placeOf(r);
  const where = SPOT_WORDS[spot]();
  if (size === 'whole') return i18n.t('tools.whole');
  if (size === 'half') return i18n.t('tools.half', { where });
  if (size === 'quarter') return i18n.t('tools.quarter', { where });
  return i18n.t('tools.part', { where });
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function failedLine(c: ToolCallRecord): string {
  const why = c.summary;
  if (c.name === 'look_closer') return i18n.t('tools.failed.lookCloser', { why });
  if (c.name === 'read_page') return i18n.t('tools.failed.readPage', { why });
  if (c.name === 'timeline') return i18n.t('tools.failed.timeline', { why });
  if (c.name === 'point_at') return i18n.t('tools.failed.pointAt', { why });
  return i18n.t('tools.failed.other', { name: c.name, why });
}

function timelineLine(c: ToolCallRecord): string {
  const since = text(c.args.since_time_of_day) ?? text(c.args.since);
  const line = since ? i18n.t('tools.timelineSince', { since }) : i18n.t('tools.timeline');
  return c.scenes === undefined ? line : `${line} (${i18n.t('tools.scenes', c.scenes)})`;
}

/** One call as one sentence. */
export function toolLine(c: ToolCallRecord): string {
  if (!c.ok) return failedLine(c);
  switch (c.name) {
    case 'look_closer': {
      const where = placeWords(c.args.box_2d === undefined ? undefined : regionOfBox2d(c.args.box_2d));
      return c.picture ? i18n.t('tools.lookCloser', { where, width: c.picture.width, height: c.picture.height }) : i18n.t('tools.lookCloserPlain', { where });
    }
    case 'read_page': {
      const title = text(c.title);
      return title ? i18n.t('tools.readPage', { title }) : i18n.t('tools.readPageUntitled');
    }
    case 'timeline':
      return timelineLine(c);
    case 'point_at': {
      const label = text(c.args.label);
      return label ? i18n.t('tools.marked', { label }) : i18n.t('tools.markedPlace');
    }
    default:
      return c.summary;
  }
}
