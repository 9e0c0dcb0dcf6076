/**
 * Point and ask (issue 14, item 1): the live picture at full panel width, on which the person marks the part
 * their next question is about — by dragging a box, or with the box already placed and the arrow keys
 * (Shift+arrows resize it), then Enter or "Ask about this". The same geometry as the region editor
 * (lib/panel/region-drawing.ts, lib/core/frames/redaction.ts); the region goes with the next question as
 * fractions of the frame, and the background cuts a full-resolution crop of it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { regionBetween, type Region } from '../lib/core/frames/redaction.ts';
import { nudgedByKey, pointerAt, START_REGION } from '../lib/panel/region-drawing.ts';
import type { Thumbnail } from '../lib/panel/view-model.ts';
import { boxStyle, FramePicture, regionText } from './RegionList.tsx';
import { i18n } from '#i18n';

interface Props {
  thumbnail: Thumbnail | undefined;
  /** The part pointed at already, to adjust; else the box starts in the middle. */
  initial: Region | undefined;
  onUse: (region: Region) => void;
  onCancel: () => void;
}

/** The point view's body: the picture with the box to place, and Cancel / Ask about this under it. */
export function PointPicker({ thumbnail, initial, onUse, onCancel }: Props) {
  const [draft, setDraft] = useState<Region>(initial ?? START_REGION);
  const [aspect, setAspect] = useState(16 / 9);
  const frame = useRef<HTMLDivElement>(null);
  const dragFrom = useRef<{ x: number; y: number } | undefined>(undefined);
  const focusBox = () => (frame.current?.querySelector('.region.draft') as HTMLElement | null)?.focus();
  // On the box from the start (after the header has put focus on the view's title), so the arrow keys work at once.
  useEffect(() => {
    const timer = setTimeout(focusBox);
    return () => clearTimeout(timer);
  }, []);

  const at = (e: PointerEvent) => pointerAt(e, frame.current!);
  const onPointerDown = (e: PointerEvent) => {
    if (!thumbnail) return;
    e.preventDefault();
    (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
    dragFrom.current = at(e);
  };
  const onPointerMove = (e: PointerEvent) => {
    const r = dragFrom.current && regionBetween(dragFrom.current, at(e));
    if (r) setDraft(r);
  };
  const onPointerUp = (e: PointerEvent) => {
    const from = dragFrom.current;
    dragFrom.current = undefined;
    const r = from && regionBetween(from, at(e));
    if (r) setDraft(r);
    // Back on the box, so Enter (or the arrow keys) can follow a drag.
    focusBox();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === 'Escape') {
      e.preventDefault();
      return e.key === 'Enter' ? onUse(draft) : onCancel();
    }
    const next = nudgedByKey(e, draft);
    if (!next) return;
    e.preventDefault();
    setDraft(next);
  };

  return (
    <div class="view-body preview point">
      <div class="preview-stage">
        <div
          ref={frame}
          class="redact-frame editing"
          style={{ aspectRatio: String(aspect), width: `min(100%, calc(50vh * ${aspect.toFixed(4)}))` }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
        >
          <FramePicture thumbnail={thumbnail} onAspect={setAspect} />
          <div
            class="region draft pointed"
            style={boxStyle(draft)}
            tabIndex={0}
            role="img"
            aria-label={i18n.t('point.draft', { where: regionText(draft) })}
            aria-describedby="point-help"
            onKeyDown={onKeyDown}
          />
        </div>
        <div class="stage-actions" role="group" aria-label={i18n.t('point.title')}>
          <button type="button" onClick={onCancel}>
            {i18n.t('common.cancel')}
          </button>
          <button type="button" class="primary" disabled={!thumbnail} onClick={() => onUse(draft)}>
            {i18n.t('point.use')}
          </button>
        </div>
      </div>
      <div class="preview-list">
        <p class="hint" id="point-help">
          {i18n.t('point.help')}
        </p>
      </div>
    </div>
  );
}
