/**
 * The panel's top line. On the conversation: the name, the cost chip and three labelled icon buttons
 * (New conversation, History, Settings). On a full-panel view: Back and the view's title.
 */
import { useEffect, useRef } from 'preact/hooks';
import { Icon, type IconName } from './Icons.tsx';
import { CostChip, type CostChipProps } from './CostMeter.tsx';
import { i18n } from '#i18n';

export type Screen = 'main' | 'history' | 'settings' | 'cost' | 'preview' | 'point' | 'timeline';

const TITLES: Record<Exclude<Screen, 'main'>, () => string> = {
  history: () => i18n.t('header.history'),
  settings: () => i18n.t('header.settings'),
  cost: () => i18n.t('common.costTitle'),
  preview: () => i18n.t('common.whatSightlineSees'),
  point: () => i18n.t('point.title'),
  timeline: () => i18n.t('timeline.title'),
};

interface Props {
  screen: Screen;
  /** Which view was open before, so focus returns to the button that opened it. */
  previous: Screen;
  onScreen: (screen: Screen) => void;
  canStartNew: boolean;
  onNew: () => void;
  cost: CostChipProps | undefined;
  /** The conversation has scenes to show on the timeline. */
  canTimeline: boolean;
  /** Back on the conversation, focus this element (by id) instead of the view's opener. */
  returnFocusTo?: string;
}

/** Buttons that open a view carry the id `open-<view>`, so focus can go back to them when it closes. */
export const openerId = (screen: Screen) => `open-${screen}`;

function IconButton({ icon, label, id, disabled, onClick }: { icon: IconName; label: string; id?: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button type="button" class="icon-button" id={id} aria-label={label} title={label} disabled={disabled} onClick={onClick}>
      <Icon name={icon} />
    </button>
  );
}

/** The header; moves focus to a view's title when it opens, and back to its button when it closes. */
export function Header({ screen, previous, onScreen, canStartNew, onNew, cost, canTimeline, returnFocusTo }: Props) {
  const title = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // Not on first load: the panel opening should not steal focus from wherever the person is.
    if (first.current) {
      first.current = false;
      return;
    }
    // The Point view puts focus on its box itself (the arrow keys work at once); other views on their title.
    if (screen === 'point') return;
    if (screen !== 'main') title.current?.focus();
    else document.getElementById(returnFocusTo ?? openerId(previous))?.focus();
  }, [screen]);

  if (screen !== 'main') {
    return (
      <header class="top sub">
        <button type="button" class="back" onClick={() => onScreen('main')}>
          <Icon name="back" />
          {i18n.t('header.back')}
        </button>
        <h1 ref={title} tabIndex={-1}>
          {TITLES[screen]()}
        </h1>
      </header>
    );
  }
  return (
    <header class="top">
      <h1>Sightline</h1>
      {cost && <CostChip {...cost} onOpen={() => onScreen('cost')} id={openerId('cost')} />}
      <div class="top-actions">
        <IconButton icon="plus" label={i18n.t('header.newConversation')} disabled={!canStartNew} onClick={onNew} />
        {canTimeline && <IconButton icon="timeline" label={i18n.t('timeline.open')} id={openerId('timeline')} onClick={() => onScreen('timeline')} />}
        <IconButton icon="history" label={i18n.t('header.history')} id={openerId('history')} onClick={() => onScreen('history')} />
        <IconButton icon="settings" label={i18n.t('header.settings')} id={openerId('settings')} onClick={() => onScreen('settings')} />
      </div>
    </header>
  );
}
