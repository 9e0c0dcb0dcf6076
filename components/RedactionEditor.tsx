/**
 * The preview and region editor, at full panel width: the live picture, on which the person hides regions
 * by dragging a rectangle, or with "Hide a region" and the arrow keys. Hidden regions are blacked out in
 * every frame before it is encoded (in the capture Worker); here they are outlined and numbered, and listed
 * below. Done / Cancel stay fixed under the picture while a region is being drawn.
 */
import { useRef, useState } from 'preact/hooks';
import { regionBetween, type Region } from '../lib/core/frames/redaction.ts';
import { nudgedByKey, pointerAt, START_REGION } from '../lib/panel/region-drawing.ts';
import type { Thumbnail } from '../lib/panel/view-model.ts';
import { boxStyle, FramePicture, RegionList, regionText } from './RegionList.tsx';
import { i18n } from '#i18n';

interface Props {
  thumbnail: Thumbnail | undefined;
  regions: Region[];
  /** Which site the regions belong to (hostname, or camera / screen), for the list's heading. */
  site: string | undefined;
  onChange: (regions: Region[]) => void;
}

/** The preview view's body: the picture to draw on, its actions, and the list of hidden regions. */
export function RedactionEditor({ thumbnail, regions, site, onChange }: Props) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Region | undefined>(undefined);
  const [aspect, setAspect] = useState(16 / 9);
  const frame = useRef<HTMLDivElement>(null);
  const dragFrom = useRef<{ x: number; y: number } | undefined>(undefined);

  const at = (e: PointerEvent) => pointerAt(e, frame.current!);
  const commit = (region: Region | undefined) => {
    if (region) onChange([...regions, region]);
    setEditing(false);
    setDraft(undefined);
  };

  // Dragging works at any time in the preview: it is the region editor.
  const onPointerDown = (e: PointerEvent) => {
    if (!thumbnail) return;
    e.preventDefault();
    (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
    dragFrom.current = at(e);
    setEditing(true);
    setDraft(undefined);
  };
  const onPointerMove = (e: PointerEvent) => {
    if (dragFrom.current) setDraft(regionBetween(dragFrom.current, at(e)));
  };
  const onPointerUp = (e: PointerEvent) => {
    const from = dragFrom.current;
    dragFrom.current = undefined;
    if (from) commit(regionBetween(from, at(e)));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === 'Escape') {
      e.preventDefault();
      return commit(e.key === 'Enter' ? draft : undefined);
    }
    const next = draft && nudgedByKey(e, draft);
    if (!next) return;
    e.preventDefault();
    setDraft(next);
  };

  return (
    <div class="view-body preview">
      <div class="preview-stage">
        <div
          ref={frame}
          class={`redact-frame${editing ? ' editing' : ''}`}
          style={{ aspectRatio: String(aspect), width: `min(100%, calc(50vh * ${aspect.toFixed(4)}))` }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
        >
          <FramePicture thumbnail={thumbnail} onAspect={setAspect} />
          {regions.map((r, i) => (
            <div key={i} class="region" style={boxStyle(r)} aria-hidden="true">
              <span class="region-no">{i + 1}</span>
            </div>
          ))}
          {editing && draft && (
            <div
              class="region draft"
              style={boxStyle(draft)}
              tabIndex={0}
              role="img"
              aria-label={i18n.t('redact.regionToHide', { where: regionText(draft) })}
              aria-describedby="redact-help"
              onKeyDown={onKeyDown}
              ref={(el) => el?.focus()}
            />
          )}
        </div>
        {/* Right under the picture and outside the scrolling list, so they are never cut off. */}
        <div class="stage-actions" role="group" aria-label={editing ? i18n.t('redact.hideRegion') : i18n.t('redact.regions')}>
          {editing ? (
            <>
              <button type="button" onClick={() => commit(undefined)}>
                {i18n.t('common.cancel')}
              </button>
              <button type="button" class="primary" disabled={!draft} onClick={() => commit(draft)}>
                {i18n.t('redact.done')}
              </button>
            </>
          ) : (
            <button
              type="button"
              class="primary"
              disabled={!thumbnail}
              onClick={() => {
                setDraft(START_REGION);
                setEditing(true);
              }}
            >
              {i18n.t('redact.hideRegion')}
            </button>
          )}
        </div>
      </div>
      <div class="preview-list">
        <p class="hint" id="redact-help">
          {editing
            ? i18n.t('redact.helpEditing')
            : i18n.t('redact.help')}
        </p>
        <RegionList regions={regions} thumbnail={thumbnail} aspect={aspect} site={site} onChange={onChange} />
      </div>
    </div>
  );
}
