/**
 * An error as a person can act on it: one sentence (with a live countdown when Gemini said when to retry)
 * and the one action that helps — Retry, Open Settings, or Edit question.
 */
import type { UserError } from '../lib/core/types.ts';
import { errorActionOf, errorSentence } from '../lib/panel/error-action.ts';
import { useRetryWait } from '../lib/panel/hooks.ts';
import { i18n } from '#i18n';

/** The sentence; only the countdown's number changes as the seconds pass. */
export function ErrorText({ error, left }: { error: UserError; left: number }) {
  const { text, countdown } = errorSentence(error, left);
  return (
    <>
      {text}
      {countdown && <span class="countdown">{countdown}</span>}
    </>
  );
}

export interface ErrorActions {
  onRetry?: () => void;
  onEditQuestion?: () => void;
  onOpenSettings: () => void;
}

interface Props extends ErrorActions {
  error: UserError;
  /** When the error happened: the countdown runs from here. */
  since: number;
  /** Offer the action (older turns keep their sentence only: their moment has passed). */
  withAction: boolean;
}

/** The card shown in a failed answer's place. */
export function ErrorCard({ error, since, withAction, onRetry, onEditQuestion, onOpenSettings }: Props) {
  // An older turn's wait is history: no countdown ticking there, and no "you can try again now" either.
  const left = useRetryWait(withAction ? error : undefined, since);
  const action = withAction ? errorActionOf(error) : undefined;
  return (
    <div class="error-card">
      <p class="error">{withAction ? <ErrorText error={error} left={left} /> : errorSentence(error, 1).text}</p>
      {action === 'retry' && onRetry && (
        <button type="button" class="primary" disabled={left > 0} onClick={onRetry}>
          {i18n.t('error.retry')}
        </button>
      )}
      {action === 'open-settings' && (
        <button type="button" class="primary" onClick={onOpenSettings}>
          {i18n.t('common.openSettings')}
        </button>
      )}
      {action === 'edit-question' && onEditQuestion && (
        <button type="button" class="primary" onClick={onEditQuestion}>
          {i18n.t('error.editQuestion')}
        </button>
      )}
    </div>
  );
}
