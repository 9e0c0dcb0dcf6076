/**
 * One question and its answer: the answer as sanitized markdown while it streams (a typing cue until the
 * first words, then a caret), an error card in the answer's place when it failed, and the turn's usage
 * behind a small details control so token counts never outweigh the answer.
 */
import { useMemo } from 'preact/hooks';
import type { Turn, TurnEnding, UserError } from '../lib/core/types.ts';
import { renderMarkdown } from '../lib/panel/markdown.ts';
import { useFirstSeen, useNow } from '../lib/panel/hooks.ts';
import { tokensText } from './CostMeter.tsx';
import { ErrorCard, type ErrorActions } from './ErrorCard.tsx';
import { PointedPlaces, QuestionMedia, ToolCalls } from './TurnMedia.tsx';
import type { PanelView } from '../lib/panel/view-model.ts';
import { costOf, formatCost, type Prices } from '../lib/core/conversation/cost.ts';
import { isIncomplete } from '../lib/core/answers/endings.ts';
import { i18n } from '#i18n';

/**
 * Three pulsing dots, and how long the question has waited (for the eye; the answer itself is announced):
 * "Waiting…" in its first second, never "Waiting 0 s…".
 */
function Typing({ since }: { since: number }) {
  const now = useNow(true);
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  return (
    <p class="typing">
      <span class="dots" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span class="meta" aria-hidden="true">
        {seconds < 1 ? i18n.t('turn.waitingJustAsked') : i18n.t('turn.waiting', { seconds })}
      </span>
    </p>
  );
}

interface Props {
  turn: Turn;
  prices?: Prices;
  /** This turn was asked in this panel and holds the top of the view (see useLogScroll). */
  pinned: boolean;
  /** The newest turn: only its error offers an action. */
  latest: boolean;
  actions: ErrorActions;
  /** Kept frames the panel has (the pointed part's crop, the frame boxes are drawn on). */
  frames?: PanelView['frames'];
}

/** An ending shown like an error card: its sentence in the answer's place, and its action. */
function endingAsError(ending: TurnEnding): UserError {
  return { kind: 'unknown', message: ending.message, ...(ending.action ? { action: ending.action } : {}) };
}

/** One turn of the log. */
export function TurnView({ turn, prices, pinned, latest, actions, frames }: Props) {
  const html = useMemo(() => renderMarkdown(turn.answer), [turn.answer]);
  const errorSince = useFirstSeen(turn.error);
  const waiting = turn.status === 'waiting' || (turn.status === 'streaming' && !turn.answer);
  const streaming = turn.status === 'streaming' && turn.answer !== '';
  return (
    <article class={`turn ${turn.status}${pinned ? ' pinned' : ''}`} data-turn-id={turn.id} aria-label={i18n.t('turn.questionLabel', { question: turn.question })}>
      <p class="question">{turn.question}</p>
      <QuestionMedia turn={turn} frames={frames} />
      {waiting && <Typing since={turn.askedAt} />}
      {/* Thought summaries are never the answer: collapsed, plain text (no markdown). */}
      {turn.thoughts && (
        <details class="thinking">
          <summary>{i18n.t('turn.thinking')}</summary>
          <p class="meta thoughts">{turn.thoughts}</p>
        </details>
      )}
      {turn.answer && <div class={`answer${streaming ? ' streaming' : ''}`} dangerouslySetInnerHTML={{ __html: html }} />}
      <PointedPlaces turn={turn} frames={frames} />
      <ToolCalls calls={turn.toolCalls} />
      {turn.answer && isIncomplete(turn) && turn.status !== 'stopped' && <p class="meta incomplete">{i18n.t('turn.incomplete')}</p>}
      {turn.status === 'stopped' && <p class="meta">{i18n.t('turn.stopped')}</p>}
      {turn.interrupted && (
        <p class="meta interrupted">{i18n.t(turn.interrupted === 'barge-in' ? 'turn.interrupted' : 'turn.cutOffByConnection')}</p>
      )}
      {/* How the answer ended, when not complete: a sentence with its action (Edit question for a blocked prompt). */}
      {turn.ending && (
        <ErrorCard error={endingAsError(turn.ending)} since={turn.finishedAt ?? turn.askedAt} withAction={latest} {...actions} />
      )}
      {turn.ocrModel ? (
        <p class="meta ocr-note">{i18n.t('turn.readByOcr', { model: turn.ocrModel })}</p>
      ) : (
        turn.textOnly && <p class="meta">{i18n.t('turn.textOnly')}</p>
      )}
      {turn.error && <ErrorCard error={turn.error} since={turn.finishedAt ?? errorSince} withAction={latest} {...actions} />}
      {turn.usage && (
        <details class="usage">
          <summary>{i18n.t('turn.usage')}</summary>
          <p class="meta">
            {prices
              ? i18n.t('turn.usageWithCost', { tokens: tokensText(turn.usage), cost: formatCost(costOf(turn.usage, prices)) })
              : tokensText(turn.usage)}
          </p>
        </details>
      )}
    </article>
  );
}
