/** A problem not tied to one question (capture refused, tab closed, proxy not configured...), above the conversation. */
import type { UserError } from '../lib/core/types.ts';
import { errorActionOf } from '../lib/panel/error-action.ts';
import { useFirstSeen, useRetryWait } from '../lib/panel/hooks.ts';
import { ErrorText } from './ErrorCard.tsx';

interface Props {
  error: UserError;
  onDismiss: () => void;
  onOpenSettings: () => void;
}

/** One alert at a time; the only action a notice can offer is Settings (there is no question to retry). */
export function Notice({ error, onDismiss, onOpenSettings }: Props) {
  const since = useFirstSeen(error.message);
  const left = useRetryWait(error, since);
  return (
    <div class="notice" role="alert">
      <p>
        <ErrorText error={error} left={left} />
      </p>
      <div class="notice-actions">
        {errorActionOf(error) === 'open-settings' && (
          <button type="button" onClick={onOpenSettings}>
            Open Settings
          </button>
        )}
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
