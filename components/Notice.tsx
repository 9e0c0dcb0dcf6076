/** A problem not tied to one question (capture refused, tab closed, proxy not configured...), above the conversation. */
import type { UserError } from '../lib/core/types.ts';
import { errorActionOf } from '../lib/panel/error-action.ts';
import { useFirstSeen, useRetryWait } from '../lib/panel/hooks.ts';
import { ErrorText } from './ErrorCard.tsx';
import { i18n } from '#i18n';
import { AllowReadingPages } from './AllowReadingPages.tsx';

interface Props {
  error: UserError;
  onDismiss: () => void;
  onOpenSettings: () => void;
}

/**
 * One alert at a time; a notice offers Settings (there is no question to retry), or, when the model wanted a
 * page's text, to allow reading pages.
 */
export function Notice({ error, onDismiss, onOpenSettings }: Props) {
  const since = useFirstSeen(error.message);
  const left = useRetryWait(error, since);
  return (
    <div class="notice" role="alert">
      <p>
        <ErrorText error={error} left={left} />
      </p>
      <div class="notice-actions">
        {error.kind === 'read-page-permission' && <AllowReadingPages onAllowed={onDismiss} />}
        {errorActionOf(error) === 'open-settings' && (
          <button type="button" onClick={onOpenSettings}>
            {i18n.t('common.openSettings')}
          </button>
        )}
        <button type="button" onClick={onDismiss}>
          {i18n.t('notice.dismiss')}
        </button>
      </div>
    </div>
  );
}
