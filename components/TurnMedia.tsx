/**
 * What went with a question and what came back besides the words (issue 14): the crop of the part the person
 * pointed at (or the scene they chose, or the tab's sound) under the question; under the answer, the places
 * it points at drawn on the frame the question was asked about, each with a label that highlights its box,
 * and the functions the model called, one sentence each. Pictures come from the kept frames (get-frame).
 */
import { useState } from 'preact/hooks';
import type { ToolCallRecord, Turn } from '../lib/core/types.ts';
import type { PanelView } from '../lib/panel/view-model.ts';
import { timeOfDay } from '../lib/core/tools/timeline.ts';
import { toolLine } from '../lib/panel/tool-lines.ts';
import { boxStyle, regionText } from './RegionList.tsx';
import { i18n } from '#i18n';

type Frames = PanelView['frames'];

/** Under the question: the pointed part's crop, the chosen scene, the tab's sound. Nothing when none went. */
export function QuestionMedia({ turn, frames }: { turn: Turn; frames: Frames }) {
  const crop = turn.region?.frameId ? frames?.[turn.region.frameId] : undefined;
  const scene = turn.sceneFrameId ? frames?.[turn.sceneFrameId] : undefined;
  if (!turn.region && !turn.sceneFrameId && !turn.sound) return null;
  return (
    <div class="question-media">
      {turn.region &&
        (crop?.dataUrl ? (
          <figure class="crop">
            <img src={crop.dataUrl} alt={i18n.t('point.crop')} title={regionText(turn.region.area)} draggable={false} />
          </figure>
        ) : (
          <p class="meta">{i18n.t('point.cropGone', { where: regionText(turn.region.area) })}</p>
        ))}
      {turn.sceneFrameId && (
        <p class="meta scene-asked">
          {scene?.dataUrl && <img src={scene.dataUrl} alt="" draggable={false} />}
          {i18n.t('point.aboutScene', { time: scene?.capturedAt ? timeOfDay(scene.capturedAt) : '…' })}
        </p>
      )}
      {turn.sound && <p class="meta sound-sent">{i18n.t('point.withSound', { seconds: Math.round(turn.sound.durationMs / 1000) })}</p>}
    </div>
  );
}

/** The places an answer points at, on the frame of the question; a label highlights its box. */
export function PointedPlaces({ turn, frames }: { turn: Turn; frames: Frames }) {
  const [lit, setLit] = useState<number | undefined>(undefined);
  const boxes = turn.boxes ?? [];
  if (boxes.length === 0) return null;
  const frame = turn.boxesFrameId ? frames?.[turn.boxesFrameId] : undefined;
  const aspect = frame?.width && frame.height ? frame.width / frame.height : 16 / 9;
  return (
    <figure class="places" aria-label={i18n.t('point.places')}>
      {frame?.dataUrl ? (
        <div class="places-frame" style={{ aspectRatio: String(aspect) }}>
          <img src={frame.dataUrl} alt={i18n.t('point.framePicture')} draggable={false} />
          {boxes.map((b, i) => (
            <div key={i} class={`point-box${lit === i ? ' lit' : ''}`} style={boxStyle(b.box)} data-box={i + 1} aria-hidden="true">
              <span class="point-no">{i + 1}</span>
            </div>
          ))}
        </div>
      ) : (
        frame && <p class="meta">{i18n.t('point.frameGone')}</p>
      )}
      <figcaption>
        <span class="sr-only">{i18n.t('point.placesHelp')}</span>
        <ol class="place-list">
          {boxes.map((b, i) => (
            <li key={i}>
              <button type="button" class="place" aria-pressed={lit === i ? 'true' : 'false'} title={regionText(b.box)} onClick={() => setLit(lit === i ? undefined : i)}>
                <span class="point-no" aria-hidden="true">
                  {i + 1}
                </span>
                {b.label}
                <span class="sr-only">{` (${regionText(b.box)})`}</span>
              </button>
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}

/** The functions the model called while answering, as a list of sentences: what it did and what came of it. */
export function ToolCalls({ calls }: { calls: ToolCallRecord[] | undefined }) {
  if (!calls?.length) return null;
  return (
    <div class="tool-calls">
      <p class="meta" aria-hidden="true">
        {i18n.t('tools.heading')}
      </p>
      <ul aria-label={i18n.t('tools.heading')}>
        {calls.map((c, i) => (
          <li key={i} class={`meta ${c.ok ? 'ok' : 'failed'}`}>
            {toolLine(c)}
          </li>
        ))}
      </ul>
    </div>
  );
}
