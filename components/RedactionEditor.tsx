/**
 * The live thumbnail, on which the user hides regions: drag a rectangle with the pointer, or press
 * "Hide a region" and move/resize a box with the arrow keys. Hidden regions are blacked out in every frame
 * before it is encoded (in the capture Worker); here they are outlined and listed with "Remove".
 */
import { useRef, useState } from 'preact/hooks';
import { describeRegion, nudgeRegion, regionBetween, type Region } from '../lib/core/frames/redaction.ts';
import type { Thumbnail } from '../lib/panel/view-model.ts';

interface Props {
  thumbnail: Thumbnail | undefined;
  regions: Region[];
  /** Which site the regions belong to (hostname, or camera / screen), for the list's heading. */
  site: string | undefined;
  onChange: (regions: Region[]) => void;
}

/** The thumbnail's height at most (its width follows the picture's aspect, so nothing is letterboxed). */
const MAX_HEIGHT_PX = 160;
const START: Region = { x: 0.375, y: 0.375, w: 0.25, h: 0.25 };
/** Arrow keys move the box by 2% of the frame; with Alt, by 0.5%. */
const STEP = 0.02;
const FINE_STEP = 0.005;

const boxStyle = (r: Region) => ({ left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.w * 100}%`, height: `${r.h * 100}%` });

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

export function RedactionEditor({ thumbnail, regions, site, onChange }: Props) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Region | undefined>(undefined);
  const [aspect, setAspect] = useState(16 / 9);
  const frame = useRef<HTMLDivElement>(null);
  const dragFrom = useRef<{ x: number; y: number } | undefined>(undefined);

  const at = (e: PointerEvent) => {
    const box = frame.current!.getBoundingClientRect();
    const clamp = (v: number) => Math.min(1, Math.max(0, v));
    return { x: clamp((e.clientX - box.left) / (box.width || 1)), y: clamp((e.clientY - box.top) / (box.height || 1)) };
  };
  const commit = (region: Region | undefined) => {
    if (region) onChange([...regions, region]);
    setEditing(false);
    setDraft(undefined);
  };
  const startEditing = () => {
    setDraft(START);
    setEditing(true);
  };

  const onPointerDown = (e: PointerEvent) => {
    if (!editing) return;
    e.preventDefault();
    (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
    dragFrom.current = at(e);
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
    if (e.key === 'Enter') {
      e.preventDefault();
      return commit(draft);
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      return commit(undefined);
    }
    const dir = ARROWS[e.key];
    if (!dir || !draft) return;
    e.preventDefault();
    const step = e.altKey ? FINE_STEP : STEP;
    setDraft(nudgeRegion(draft, dir[0] * step, dir[1] * step, e.shiftKey));
  };

  return (
    <div class="redact">
      <div
        ref={frame}
        class={`redact-frame${editing ? ' editing' : ''}`}
        style={{ aspectRatio: String(aspect), width: `min(100%, ${Math.round(MAX_HEIGHT_PX * aspect)}px)` }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
      >
        {thumbnail ? (
          <img
            class="thumbnail"
            src={thumbnail.dataUrl}
            alt="What Sightline sees"
            draggable={false}
            onLoad={(e) => {
              const img = e.currentTarget;
              if (img.naturalWidth && img.naturalHeight) setAspect(img.naturalWidth / img.naturalHeight);
            }}
          />
        ) : (
          <p class="thumbnail placeholder">Waiting for the first frame…</p>
        )}
        {regions.map((r, i) => (
          <div key={i} class="region" style={boxStyle(r)} aria-hidden="true" />
        ))}
        {editing && draft && (
          <div
            class="region draft"
            style={boxStyle(draft)}
            tabIndex={0}
            role="img"
            aria-label={`Region to hide: ${describeRegion(draft)}`}
            aria-describedby="redact-help"
            onKeyDown={onKeyDown}
            ref={(el) => el?.focus()}
          />
        )}
      </div>
      {editing ? (
        <div class="row" role="group" aria-label="Hide a region">
          <p class="hint" id="redact-help">
            Drag over the picture, or move the box with the arrow keys (Shift+arrows resize it). Enter hides it.
          </p>
          <button type="button" class="primary" disabled={!draft} onClick={() => commit(draft)}>
            Hide this region
          </button>
          <button type="button" onClick={() => commit(undefined)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" onClick={startEditing} disabled={!thumbnail}>
          Hide a region
        </button>
      )}
      {regions.length > 0 && (
        <section aria-label="Hidden regions">
          <p class="meta">
            Hidden in every frame{site ? ` on ${site}` : ''}; these pixels never leave your browser:
          </p>
          <ul class="regions">
            {regions.map((r, i) => (
              <li key={i}>
                <span>
                  Region {i + 1}: {describeRegion(r)}
                </span>
                <button type="button" onClick={() => onChange(regions.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
