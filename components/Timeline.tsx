/**
 * The scene timeline (issue 14, item 5): the conversation's kept scenes as a strip of thumbnails with their
 * times, oldest first, at full panel width. Each scene is a button; the arrow keys (and Home / End) move
 * between them. Choosing one goes back to the conversation with the ask box set to ask about that moment
 * (PanelCommand 'ask-about-scene'). Pictures come one by one (get-frame); a scene whose pixels are gone shows
 * its time and note only.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { TimelineScene } from '../lib/core/tools/timeline.ts';
import type { PanelView } from '../lib/panel/view-model.ts';
import { i18n } from '#i18n';

interface Props {
  scenes: TimelineScene[] | undefined;
  frames: PanelView['frames'];
  /** Asks for the scenes again (on opening: the strip shows the conversation as it is now). */
  onList: () => void;
  onChoose: (scene: TimelineScene) => void;
}

const NEXT: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/** Moves focus between the strip's buttons with the arrow keys, Home and End. */
function onStripKey(e: KeyboardEvent) {
  const buttons = Array.from((e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('button.scene'));
  const now = buttons.indexOf(document.activeElement as HTMLButtonElement);
  let next: number | undefined;
  if (e.key in NEXT) next = Math.min(buttons.length - 1, Math.max(0, (now < 0 ? 0 : now) + NEXT[e.key]!));
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = buttons.length - 1;
  const target = next === undefined ? undefined : buttons[next];
  if (!target) return;
  e.preventDefault();
  target.focus();
  target.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
}

/** The timeline view's body. */
export function Timeline({ scenes, frames, onList, onChoose }: Props) {
  const strip = useRef<HTMLUListElement>(null);
  useEffect(onList, []);
  // The newest scene in view and focused once the list came, after the header put focus on the title.
  const count = scenes?.length ?? 0;
  useEffect(() => {
    if (!count) return;
    const timer = setTimeout(() => {
      const last = strip.current?.querySelector<HTMLButtonElement>('li:last-child button.scene');
      last?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    });
    return () => clearTimeout(timer);
  }, [count]);
  return (
    <div class="view-body timeline">
      <p class="hint" id="timeline-help">
        {count ? i18n.t('timeline.help') : i18n.t('timeline.empty')}
      </p>
      {count > 0 && (
        <ul ref={strip} class="scenes" aria-label={i18n.t('timeline.label')} aria-describedby="timeline-help" onKeyDown={onStripKey}>
          {scenes!.map((scene) => {
            const picture = frames?.[scene.frameId]?.dataUrl;
            return (
              <li key={scene.frameId}>
                <button type="button" class="scene" onClick={() => onChoose(scene)}>
                  <span class="scene-thumb" aria-hidden="true">
                    {picture ? <img src={picture} alt="" draggable={false} /> : <span class="meta">{scene.hasPicture ? '…' : i18n.t('timeline.noPicture')}</span>}
                  </span>
                  <span class="scene-time">{scene.timeOfDay}</span>
                  {scene.note && <span class="scene-note meta">{scene.note}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
