/**
 * Conversations on disk: IndexedDB (database 'sightline', object store 'sessions') through idb-keyval.
 *
 * Why IndexedDB: a conversation with kept frames runs to megabytes of base64 JPEG, and browser.storage.local
 * rewrites and JSON-serialises whole values; IndexedDB stores structured values per key, in transactions.
 * Why idb-keyval: it was already the store here, is tiny and well kept, and its `UseStore` seam hands us the
 * IDBObjectStore inside one transaction, so a conversation and the index change together, and unit tests run
 * the same code on an in-memory store (tests/support/memory-idb.ts).
 *
 * Frames' pixels are personal data: they are written only when the user turned "Keep frames on disk" on;
 * otherwise a stored frame keeps its time and note only. Every failure rejects with a StorageError
 * (lib/storage/errors.ts); isStorageUnavailable tells "cannot store now" from a bug.
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { Conversation } from '../core/types.ts';
import { StorageError } from './errors.ts';
import {
  CURRENT_KEY,
  INDEX_KEY,
  conversationKey,
  emptyIndex,
  isConversationKey,
  newestFirst,
  readConversation,
  readIndex,
  summaryOf,
  toRecord,
  withSummary,
  withoutConversation,
  type ConversationIndex,
  type IndexEntry,
} from './conversation-index.ts';

export type { IndexEntry } from './conversation-index.ts';

/** Past and current conversations on disk. Every method rejects with a StorageError when storage fails. */
export interface ConversationStore {
  /**
   * Writes the conversation (frames' bytes only when `keepFrames`), its index entry, and marks it current,
   * in one transaction: all three change or none do.
   */
  save(session: Conversation, keepFrames: boolean): Promise<void>;
  /** The conversation, or undefined when there is none with that id or its record cannot be read. */
  load(id: string): Promise<Conversation | undefined>;
  /** The conversation last saved (the one to continue after a restart), if any. */
  loadCurrent(): Promise<Conversation | undefined>;
  /** Every conversation's summary, most recently updated first. Reads the index record only, never a conversation. */
  list(): Promise<IndexEntry[]>;
  /** Removes the conversation, its frames and its index entry; it stops being current. */
  delete(id: string): Promise<void>;
  /** Removes every conversation and kept frame, leaving an empty index. */
  deleteAll(): Promise<void>;
}

/** What is written for a session: frames without bytes unless the user keeps frames. */
export function toStored(session: Conversation, keepFrames: boolean): Conversation {
  if (keepFrames) return session;
  return { ...session, frames: session.frames.map((f) => ({ ...f, data: '' })) };
}

/**
 * A conversation store over an idb-keyval store (a real IndexedDB one in the extension, an in-memory one in
 * tests). Writes that also change the index run in one readwrite transaction.
 *
 * Inside a transaction the code awaits only IndexedDB requests: their continuations run before the
 * transaction may commit, so it stays open between a read and the writes that follow. Awaiting anything
 * else there (a timer, a message) would let it commit early and the writes would throw.
 */
export function createConversationStore(useStore: UseStore): ConversationStore {
  const run = <T>(operation: string, mode: IDBTransactionMode, work: (store: IDBObjectStore) => Promise<T>): Promise<T> =>
    // Through a promise, so an exception thrown synchronously by opening the database rejects too.
    Promise.resolve()
      .then(() => useStore(mode, work))
      .catch((err: unknown) => {
        throw StorageError.from(operation, err);
      });
  const read = (store: IDBObjectStore, key: IDBValidKey): Promise<unknown> => promisifyRequest(store.get(key));
  const committed = (store: IDBObjectStore): Promise<void> => promisifyRequest(store.transaction);

  /** The index, rebuilt from the conversations when missing (stores written before the index existed). */
  async function indexIn(store: IDBObjectStore): Promise<ConversationIndex> {
    const stored = readIndex(await read(store, INDEX_KEY));
    if (stored) return stored;
    // Once per store: reads every conversation, frames included; the caller writes the result back.
    const keys = (await promisifyRequest(store.getAllKeys())).filter(isConversationKey);
    const records = await Promise.all(keys.map((key) => read(store, key)));
    const sessions = records.map(readConversation).filter((s): s is Conversation => s !== undefined);
    return { ...emptyIndex(), conversations: sessions.map(summaryOf) };
  }

  return {
    save: (session, keepFrames) =>
      run('Saving the conversation', 'readwrite', async (store) => {
        const index = await indexIn(store);
        store.put(toRecord(toStored(session, keepFrames)), conversationKey(session.id));
        store.put(withSummary(index, summaryOf(session)), INDEX_KEY);
        store.put(session.id, CURRENT_KEY);
        await committed(store);
      }),

    load: (id) => run('Opening the conversation', 'readonly', async (store) => readConversation(await read(store, conversationKey(id)))),

    loadCurrent: () =>
      run('Opening the current conversation', 'readonly', async (store) => {
        const id = await read(store, CURRENT_KEY);
        return typeof id === 'string' ? readConversation(await read(store, conversationKey(id))) : undefined;
      }),

    list: async () => {
      const stored = await run('Listing conversations', 'readonly', async (store) => readIndex(await read(store, INDEX_KEY)));
      if (stored) return newestFirst(stored.conversations);
      const built = await run('Indexing conversations', 'readwrite', async (store) => {
        const index = await indexIn(store);
        store.put(index, INDEX_KEY);
        await committed(store);
        return index;
      });
      return newestFirst(built.conversations);
    },

    delete: (id) =>
      run('Deleting the conversation', 'readwrite', async (store) => {
        const index = await indexIn(store);
        const current = await read(store, CURRENT_KEY);
        store.delete(conversationKey(id));
        store.put(withoutConversation(index, id), INDEX_KEY);
        if (current === id) store.delete(CURRENT_KEY);
        await committed(store);
      }),

    deleteAll: () =>
      run('Deleting all conversations', 'readwrite', async (store) => {
        store.clear();
        store.put(emptyIndex(), INDEX_KEY);
        await committed(store);
      }),
  };
}

/**
 * The extension's store. idb-keyval opens the database on first use, not here; where there is no IndexedDB
 * at all the first use rejects with NotSupportedError rather than a ReferenceError.
 */
function browserStore(): UseStore {
  let store: UseStore | undefined;
  return (mode, callback) => {
    if (typeof indexedDB === 'undefined') return Promise.reject(new DOMException('IndexedDB is not available here.', 'NotSupportedError'));
    store ??= createStore('sightline', 'sessions');
    return store(mode, callback);
  };
}

const conversations = createConversationStore(browserStore());

// The extension's conversations, as the service worker's wiring binds them (ConversationStore documents
// each). The names predate "conversation" and are kept for their callers.
export const saveConversation = conversations.save;
export const loadConversation = conversations.load;
export const loadCurrentConversation = conversations.loadCurrent;
export const listConversations = conversations.list;
export const deleteConversation = conversations.delete;
export const deleteAllConversations = conversations.deleteAll;
