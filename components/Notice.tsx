/** A problem not tied to one question (capture refused, proxy not configured...). */
import type { UserError } from '../lib/core/types.ts';

/** " Try again in N s." unless the message already says when. */
export function retryText(error: UserError): string {
  if (error.retryAfterSec === undefined || /try again in/i.test(error.message)) return '';
  return ` Try again in ${Math.max(1, Math.ceil(error.retryAfterSec))} s.`;
}

export function Notice({ error, onDismiss }: { error: UserError; onDismiss: () => void }) {
  return (
    <div class="notice" role="alert">
      <p>
        {error.message}
        {retryText(error)}
      </p>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
