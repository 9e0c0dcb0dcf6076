/**
 * Conversations on disk, as the manager uses them: every write and read goes through here, so that a store
 * the browser refuses (Firefox's "never remember history" makes IndexedDB throw InvalidStateError on open; a
 * full disk throws QuotaExceededError) never stops an answer, and a deleted conversation is never written back.
 */
import type { ConversationSummary } from '../protocol/messages.ts';
import type { Conversation, UserError } from '../core/types.ts';
import type { ManagerDeps } from './manager-deps.ts';

/** The one notice while conversations cannot be stored; `reason` names what the browser said. */
export function notSavedNotice(reason: string): UserError {
  return {
    kind: 'not-saved',
    message: `This conversation is not being saved: the browser refused storage (${reason}). It lasts until the browser closes.`,
  };
}

/**
 * What the browser said, in a few words: the DOMException's name (QuotaExceededError, InvalidStateError...),
 * read from lib/storage's StorageError `code` or the exception itself; else the message.
 */
export function storageReason(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown; code?: unknown } | undefined;
  if (typeof e?.code === 'string' && e.code) return e.code;
  if (typeof e?.name === 'string' && e.name && e.name !== 'Error') return e.name;
  if (typeof e?.message === 'string' && e.message) return e.message;
  return String(err);
}

export interface SavingEvents {
  /** The first write that failed after writes worked (or from the start): say it once. */
  refused(notice: UserError): void;
  /** A write worked again after refusals: the conversation is being saved again. */
  resumed(): void;
}

export class Saving {
  private deps: Pick<ManagerDeps, 'sessions' | 'library' | 'settings'>;
  private events: SavingEvents;
  /** Conversations deleted while this worker runs: never written again, whatever was in flight. */
  private deleted = new Set<string>();
  /** Why the last write failed; undefined while writes work. */
  private refusal: string | undefined;

  constructor(deps: Pick<ManagerDeps, 'sessions' | 'library' | 'settings'>, events: SavingEvents) {
    this.deps = deps;
    this.events = events;
  }

  /** The conversation to continue after a restart; undefined when there is none or it cannot be read. */
  async current(): Promise<Conversation | undefined> {
    try {
      return await this.deps.sessions.load();
    } catch (err) {
      this.refuse(err);
      return undefined;
    }
  }

  /** Writes the conversation (pixels only with "Keep frames on disk"). Never rejects; a deleted one is skipped. */
  async save(session: Conversation): Promise<void> {
    if (this.deleted.has(session.id)) return;
    const keepFrames = (await this.deps.settings().catch(() => undefined))?.keepFrames ?? false;
    try {
      await this.deps.sessions.save(session, keepFrames);
    } catch (err) {
      this.refuse(err);
      return;
    }
    if (this.refusal !== undefined) {
      this.refusal = undefined;
      this.events.resumed();
    }
  }

  /** Past conversations, newest first; none when the store cannot be read. */
  async list(): Promise<ConversationSummary[]> {
    return this.deps.library.list().catch(() => []);
  }

  /** A past conversation, or the sentence saying why it cannot be opened. */
  async open(id: string): Promise<{ session?: Conversation; error?: string }> {
    if (this.deleted.has(id)) return {};
    try {
      return { session: await this.deps.library.load(id) };
    } catch (err) {
      return { error: `That conversation could not be opened: the browser refused storage (${storageReason(err)}).` };
    }
  }

  /** Deletes one conversation for good; a sentence when the store refused. */
  async delete(id: string): Promise<string | undefined> {
    this.deleted.add(id);
    try {
      await this.deps.library.delete(id);
      return undefined;
    } catch (err) {
      return `The conversation could not be deleted from disk: the browser refused storage (${storageReason(err)}).`;
    }
  }

  /** Deletes every conversation; `inMemory` are ids that must not be written again. A sentence when refused. */
  async deleteAll(inMemory: string[]): Promise<string | undefined> {
    for (const id of inMemory) this.deleted.add(id);
    try {
      await this.deps.library.deleteAll();
      return undefined;
    } catch (err) {
      return `Conversations could not be deleted from disk: the browser refused storage (${storageReason(err)}).`;
    }
  }

  private refuse(err: unknown): void {
    const first = this.refusal === undefined;
    this.refusal = storageReason(err);
    if (first) this.events.refused(notSavedNotice(this.refusal));
  }
}
