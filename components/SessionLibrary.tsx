/**
 * History, as a full-panel view: past conversations (reopen to read and continue, or delete) and deleting
 * what Sightline stored — "Delete this conversation" and "Delete all", each behind a confirmation step.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionSummary } from '../lib/protocol/messages.ts';

interface Props {
  /** undefined until the list arrived. */
  sessions: SessionSummary[] | undefined;
  /** The conversation on screen has something to delete. */
  hasCurrent: boolean;
  onList: () => void;
  onOpen: (id: string) => void;
  onDelete: (id: string | 'current') => void;
  onDeleteAll: () => void;
}

interface Pending {
  question: string;
  confirm: string;
  run: () => void;
}

const when = (ms: number) => new Date(ms).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });

/** The History view's body; asks for the list when it opens. */
export function SessionLibrary({ sessions, hasCurrent, onList, onOpen, onDelete, onDeleteAll }: Props) {
  const [pending, setPending] = useState<Pending | undefined>(undefined);
  const ask = (p: Pending) => setPending(p);
  const done = () => setPending(undefined);
  const cancel = useRef<HTMLButtonElement>(null);
  // A confirmation takes focus once, on Cancel (the safe choice), when it appears.
  useEffect(() => cancel.current?.focus(), [pending]);
  // The list is asked for when the view opens, so it is fresh.
  useEffect(onList, []);

  return (
    <div class="view-body library">
      <section aria-labelledby="past-title">
        <h2 id="past-title">Past conversations</h2>
        {sessions === undefined ? (
          <p class="meta">Loading past conversations…</p>
        ) : sessions.length === 0 ? (
          <p class="meta">No past conversations.</p>
        ) : (
          <ul class="sessions" aria-label="Past conversations">
            {sessions.map((s) => (
              <li key={s.id}>
                <span class="session-title">
                  {s.title || 'Untitled conversation'}
                  <span class="meta">{when(s.updatedAt)}</span>
                </span>
                <button type="button" onClick={() => onOpen(s.id)}>
                  Open
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={() => ask({ question: `Delete “${s.title}”?`, confirm: 'Delete it', run: () => onDelete(s.id) })}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="stored-title">
        <h2 id="stored-title">Stored data</h2>
        <p class="meta">Conversations are kept on this device only. Deleting cannot be undone.</p>
        <div class="row">
          <button
            type="button"
            class="danger"
            disabled={!hasCurrent}
            onClick={() => ask({ question: 'Delete this conversation and its frames?', confirm: 'Delete it', run: () => onDelete('current') })}
          >
            Delete this conversation
          </button>
          <button
            type="button"
            class="danger"
            onClick={() =>
              ask({
                question:
                  'Delete everything Sightline stored? Sharing stops; every conversation, its frames and the hidden regions of every site are removed. Your settings stay.',
                confirm: 'Delete everything',
                run: onDeleteAll,
              })
            }
          >
            Delete all
          </button>
        </div>
        {pending && (
          <div class="confirm" role="alertdialog" aria-labelledby="confirm-question">
            <p id="confirm-question">{pending.question} This cannot be undone.</p>
            <div class="row end">
              <button type="button" onClick={done} ref={cancel}>
                Cancel
              </button>
              <button
                type="button"
                class="danger"
                onClick={() => {
                  pending.run();
                  done();
                }}
              >
                {pending.confirm}
              </button>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
