/**
 * The shapes kept in the conversation store (IndexedDB) and their checks. Pure.
 *
 * Two kinds of record share one object store:
 * - `session:<id>` — one conversation (a Conversation plus `schemaVersion`), frames included;
 * - `conversation-index` — one small record listing every conversation's id, title, times and turn count,
 *   rewritten in the same transaction as every save and delete, so listing reads it alone and no frames.
 */
import type { Conversation } from '../core/types.ts';
import type { ConversationSummary } from '../protocol/messages.ts';
import { isCount, isRecord } from './shapes.ts';

/**
 * Shape version of conversation records. 1 is the Conversation shape written before records carried a version: a
 * record without `schemaVersion` is version 1. To change the shape, bump this and add the step to
 * CONVERSATION_MIGRATIONS.
 */
export const CONVERSATION_SCHEMA_VERSION = 1;

/** Steps from version n-1 to n (key n), run on read; empty while version 1 is the only shape. */
export const CONVERSATION_MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

/** Shape version of the index record; an index of another version is rebuilt from the conversations. */
export const INDEX_SCHEMA_VERSION = 1;

/** A conversation as written: the Conversation with its shape version beside it. */
export type StoredConversation = Conversation & { schemaVersion: number };

/** One line of the past-conversations list: what the panel shows, without turns or frames. */
export interface IndexEntry extends ConversationSummary {
  /** Questions asked in the conversation (its turns), so a list can tell its length without opening it. */
  turnCount: number;
}

/** The index record: every stored conversation's summary, in no particular order. */
export interface ConversationIndex {
  schemaVersion: number;
  conversations: IndexEntry[];
}

/** Key of the index record. */
export const INDEX_KEY = 'conversation-index';
/** Key of the current conversation's id (a string), the one continued after a restart. */
export const CURRENT_KEY = 'current';
const PREFIX = 'session:';

/** Key of a conversation's record (the prefix is the one releases before the index wrote). */
export const conversationKey = (id: string): string => `${PREFIX}${id}`;
/** Whether a key is a conversation record's (not the index or the current id). */
export const isConversationKey = (key: IDBValidKey): key is string => typeof key === 'string' && key.startsWith(PREFIX);

/** The summary the index keeps for a conversation. */
export function summaryOf(session: Conversation): IndexEntry {
  const { id, title, createdAt, updatedAt } = session;
  return { id, title, createdAt, updatedAt, turnCount: session.turns.length };
}

/** The index with `summary` added, or replacing the entry with the same id. */
export function withSummary(index: ConversationIndex, summary: IndexEntry): ConversationIndex {
  return { schemaVersion: INDEX_SCHEMA_VERSION, conversations: [...index.conversations.filter((c) => c.id !== summary.id), summary] };
}

/** The index without conversation `id`. */
export function withoutConversation(index: ConversationIndex, id: string): ConversationIndex {
  return { schemaVersion: INDEX_SCHEMA_VERSION, conversations: index.conversations.filter((c) => c.id !== id) };
}

/** The index of a store with no conversations. */
export const emptyIndex = (): ConversationIndex => ({ schemaVersion: INDEX_SCHEMA_VERSION, conversations: [] });

/** Most recently updated first, as the panel lists them. */
export function newestFirst(conversations: readonly IndexEntry[]): IndexEntry[] {
  return [...conversations].sort((a, b) => b.updatedAt - a.updatedAt);
}

/**
 * The stored index, checked; undefined when there is none (a store written before the index existed) or it
 * is of another version or malformed, in which case the caller rebuilds it from the conversations.
 */
export function readIndex(raw: unknown): ConversationIndex | undefined {
  if (!isRecord(raw) || raw.schemaVersion !== INDEX_SCHEMA_VERSION || !Array.isArray(raw.conversations)) return undefined;
  const conversations: IndexEntry[] = [];
  for (const entry of raw.conversations) {
    const summary = readSummary(entry);
    if (!summary) return undefined;
    conversations.push(summary);
  }
  return { schemaVersion: INDEX_SCHEMA_VERSION, conversations };
}

function readSummary(raw: unknown): IndexEntry | undefined {
  if (!isRecord(raw)) return undefined;
  const { id, title, createdAt, updatedAt, turnCount } = raw;
  if (typeof id !== 'string' || typeof title !== 'string') return undefined;
  if (!isCount(createdAt) || !isCount(updatedAt) || !isCount(turnCount)) return undefined;
  return { id, title, createdAt, updatedAt, turnCount };
}

/**
 * A stored conversation as a Conversation, migrated to the current shape; undefined when the record is not one
 * (malformed, or written by a newer release whose shape this one cannot read). The top-level fields are
 * checked; turns and frames are trusted as arrays because only this module writes them.
 */
export function readConversation(raw: unknown): Conversation | undefined {
  if (!isRecord(raw)) return undefined;
  const version = raw.schemaVersion === undefined ? 1 : raw.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > CONVERSATION_SCHEMA_VERSION) return undefined;
  let record = raw;
  for (let v = version + 1; v <= CONVERSATION_SCHEMA_VERSION; v++) record = CONVERSATION_MIGRATIONS[v]?.(record) ?? record;
  return asSession(record);
}

function asSession(r: Record<string, unknown>): Conversation | undefined {
  const { schemaVersion: _version, id, title, createdAt, updatedAt, turns, frames, summary, summarizedTurns, usage, framesKept, framesDropped, ...rest } = r;
  if (typeof id !== 'string' || typeof title !== 'string' || !isCount(createdAt) || !isCount(updatedAt)) return undefined;
  if (!Array.isArray(turns) || !Array.isArray(frames) || !isRecord(usage)) return undefined;
  const { promptTokens, answerTokens } = usage;
  return {
    // Fields a later Conversation gains are kept as written, not dropped on the way through.
    ...rest,
    id,
    title,
    createdAt,
    updatedAt,
    turns,
    frames,
    ...(typeof summary === 'string' ? { summary } : {}),
    summarizedTurns: isCount(summarizedTurns) ? summarizedTurns : 0,
    usage: { promptTokens: isCount(promptTokens) ? promptTokens : 0, answerTokens: isCount(answerTokens) ? answerTokens : 0 },
    framesKept: isCount(framesKept) ? framesKept : 0,
    framesDropped: isCount(framesDropped) ? framesDropped : 0,
  };
}

/** The record written for a session: its shape version added. */
export const toRecord = (session: Conversation): StoredConversation => ({ ...session, schemaVersion: CONVERSATION_SCHEMA_VERSION });
