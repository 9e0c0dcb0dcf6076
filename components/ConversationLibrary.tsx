/**
 * History, as a full-panel view: past conversations (reopen to read and continue, or delete) and deleting
 * what Sightline stored — "Delete this conversation" and "Delete all", each behind a confirmation step.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConversationSummary } from '../lib/protocol/messages.ts';
import { i18n } from '#i18n';

interface Props {
  /** undefined until the list arrived. */
  sessions: ConversationSummary[] | undefined;
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

const when = (ms: number) => new Date(ms).toLocaleString(i18n.t('locale'), { dateStyle: 'medium', timeStyle: 'short' });

/** The History view's body; asks for the list when it opens. */
export function ConversationLibrary({ sessions, hasCurrent, onList, onOpen, onDelete, onDeleteAll }: Props) {
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
        <h2 id="past-title">{i18n.t('library.past')}</h2>
        {sessions === undefined ? (
          <p class="meta">{i18n.t('library.loading')}</p>
        ) : sessions.length === 0 ? (
          <p class="meta">{i18n.t('library.none')}</p>
        ) : (
          <ul class="sessions" aria-label={i18n.t('library.past')}>
            {sessions.map((s) => (
              <li key={s.id}>
                <span class="session-title">
                  {s.title || i18n.t('library.untitled')}
                  <span class="meta">{when(s.updatedAt)}</span>
                </span>
                <button type="button" onClick={() => onOpen(s.id)}>
                  {i18n.t('library.open')}
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={() => ask({ question: i18n.t('library.deleteOne', { title: s.title }), confirm: i18n.t('library.deleteIt'), run: () => onDelete(s.id) })}
                >
                  {i18n.t('library.delete')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="stored-title">
        <h2 id="stored-title">{i18n.t('library.stored')}</h2>
        <p class="meta">{i18n.t('library.storedHint')}</p>
        <div class="row">
          <button
            type="button"
            class="danger"
            disabled={!hasCurrent}
            onClick={() => ask({ question: i18n.t('library.deleteCurrentQuestion'), confirm: i18n.t('library.deleteIt'), run: () => onDelete('current') })}
          >
            {i18n.t('library.deleteCurrent')}
          </button>
          <button
            type="button"
            class="danger"
            onClick={() =>
              ask({
                question: i18n.t('library.deleteAllQuestion'),
                confirm: i18n.t('library.deleteEverything'),
                run: onDeleteAll,
              })
            }
          >
            {i18n.t('library.deleteAll')}
          </button>
        </div>
        {pending && (
          <div class="confirm" role="alertdialog" aria-labelledby="confirm-question">
            <p id="confirm-question">
              {pending.question} {i18n.t('library.cannotUndo')}
            </p>
            <div class="row end">
              <button type="button" onClick={done} ref={cancel}>
                {i18n.t('common.cancel')}
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
