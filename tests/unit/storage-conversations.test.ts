/**
 * The conversation store (lib/storage/sessions.ts) on an in-memory IndexedDB: the index keeps listing off
 * the conversation records, saves and deletes keep it right, old stores get one, and failures are
 * recognisable StorageErrors.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createConversationStore, type ConversationStore } from '../../lib/storage/sessions.ts';
import { CONVERSATION_SCHEMA_VERSION, INDEX_KEY } from '../../lib/storage/conversation-index.ts';
import { StorageError, isStorageUnavailable } from '../../lib/storage/errors.ts';
import type { Frame, Conversation, Turn } from '../../lib/core/types.ts';
import { MemoryIdb } from '../support/memory-idb.ts';

const PIXELS = 'A'.repeat(4096); // stands in for a base64 JPEG

function frame(i: number): Frame {
  return { id: `f${i}`, capturedAt: 1000 + i, width: 768, height: 432, mimeType: 'image/jpeg', data: PIXELS, source: 'tab', reason: 'sampled', note: `scene ${i}` };
}

function turn(i: number): Turn {
  return { id: `t${i}`, question: `question ${i}`, askedAt: 2000 + i, answer: `answer ${i}`, status: 'done' };
}

function conversation(id: string, updatedAt: number, turns = 2, frames = 3): Conversation {
  return {
    id,
    createdAt: updatedAt / 2,
    updatedAt,
    title: `About ${id}`,
    turns: Array.from({ length: turns }, (_, i) => turn(i)),
    frames: Array.from({ length: frames }, (_, i) => frame(i)),
    summarizedTurns: 0,
    usage: { promptTokens: 100, answerTokens: 10 },
    framesKept: frames,
    framesDropped: 1,
  };
}

let idb: MemoryIdb;
let store: ConversationStore;

beforeEach(() => {
  idb = new MemoryIdb();
  store = createConversationStore(idb.useStore);
});

describe('listing past conversations', () => {
  it('reads only the index: 50 conversations with frames, and no conversation record is read', async () => {
    for (let i = 0; i < 50; i++) await store.save(conversation(`c${i}`, 10_000 + i, 1 + (i % 4)), true);
    idb.reads.length = 0;

    const list = await store.list();

    expect(idb.conversationReads()).toEqual([]);
    expect(idb.reads).toEqual([INDEX_KEY]);
    expect(list).toHaveLength(50);
    expect(list[0]).toEqual({ id: 'c49', title: 'About c49', createdAt: 5024.5, updatedAt: 10_049, turnCount: 2 });
    expect(list.map((c) => c.updatedAt)).toEqual([...list.map((c) => c.updatedAt)].sort((a, b) => b - a));
  });

  it('keeps an entry up to date when its conversation is saved again', async () => {
    await store.save(conversation('a', 100, 1), false);
    await store.save(conversation('b', 200, 1), false);
    await store.save({ ...conversation('a', 300, 4), title: 'Renamed' }, false);

    expect(await store.list()).toEqual([
      { id: 'a', title: 'Renamed', createdAt: 150, updatedAt: 300, turnCount: 4 },
      { id: 'b', title: 'About b', createdAt: 100, updatedAt: 200, turnCount: 1 },
    ]);
  });

  it('builds the index once for a store written before it existed, then lists from it alone', async () => {
    // What the release without an index wrote: bare Conversation records, no schemaVersion, and the current id.
    idb.data.set('session:old1', conversation('old1', 100, 2));
    idb.data.set('session:old2', conversation('old2', 200, 5));
    idb.data.set('current', 'old2');

    expect((await store.list()).map((c) => [c.id, c.turnCount])).toEqual([['old2', 5], ['old1', 2]]);
    expect(idb.data.has(INDEX_KEY)).toBe(true);

    idb.reads.length = 0;
    await store.list();
    expect(idb.conversationReads()).toEqual([]);
    expect((await store.loadCurrent())?.id).toBe('old2');
  });

  it('a save into an old store indexes the older conversations too, not only the saved one', async () => {
    idb.data.set('session:old', conversation('old', 100));
    await store.save(conversation('new', 200), false);
    expect((await store.list()).map((c) => c.id)).toEqual(['new', 'old']);
  });
});

describe('saving and opening', () => {
  it('writes a schema version, leaves frame bytes out unless frames are kept, and reads back a plain Conversation', async () => {
    const c = conversation('a', 100);
    await store.save(c, false);
    expect(idb.data.get('session:a')).toMatchObject({ schemaVersion: CONVERSATION_SCHEMA_VERSION });
    const loaded = await store.load('a');
    expect(loaded).toEqual({ ...c, frames: c.frames.map((f) => ({ ...f, data: '' })) });
    expect(loaded).not.toHaveProperty('schemaVersion');

    await store.save(c, true);
    expect((await store.load('a'))?.frames[0]?.data).toBe(PIXELS);
  });

  it('opens a record of the unversioned shape (version 1), and not one from a newer release', async () => {
    idb.data.set('session:old', conversation('old', 100));
    idb.data.set('session:future', { ...conversation('future', 100), schemaVersion: CONVERSATION_SCHEMA_VERSION + 1 });
    idb.data.set('session:junk', { id: 'junk', turns: 'no' });
    expect(await store.load('old')).toEqual(conversation('old', 100));
    expect(await store.load('future')).toBeUndefined();
    expect(await store.load('junk')).toBeUndefined();
    expect(await store.load('missing')).toBeUndefined();
  });

  it('the conversation saved last is the current one', async () => {
    expect(await store.loadCurrent()).toBeUndefined();
    await store.save(conversation('a', 100), false);
    await store.save(conversation('b', 200), false);
    expect((await store.loadCurrent())?.id).toBe('b');
  });
});

describe('deleting', () => {
  it('delete one removes its record and index entry, and it stops being current', async () => {
    await store.save(conversation('a', 100), true);
    await store.save(conversation('b', 200), true);
    await store.delete('b');

    expect((await store.list()).map((c) => c.id)).toEqual(['a']);
    expect(idb.data.has('session:b')).toBe(false);
    expect(await store.loadCurrent()).toBeUndefined();

    await store.delete('a');
    expect(await store.list()).toEqual([]);
    expect([...idb.data.keys()]).toEqual([INDEX_KEY]);
  });

  it('deleting another conversation leaves the current one current', async () => {
    await store.save(conversation('a', 100), false);
    await store.save(conversation('b', 200), false);
    await store.delete('a');
    expect((await store.loadCurrent())?.id).toBe('b');
  });

  it('delete all leaves an empty index and nothing else, and listing afterwards reads no record', async () => {
    for (let i = 0; i < 5; i++) await store.save(conversation(`c${i}`, i + 1), true);
    await store.deleteAll();
    expect([...idb.data.keys()]).toEqual([INDEX_KEY]);
    idb.reads.length = 0;
    expect(await store.list()).toEqual([]);
    expect(idb.conversationReads()).toEqual([]);
    expect(await store.loadCurrent()).toBeUndefined();
  });
});

describe('storage failures', () => {
  it('IndexedDB refusing to open (Firefox, never remember history) rejects with a StorageError that says unavailable', async () => {
    idb.openFailure = 'InvalidStateError';
    const err = await store.save(conversation('a', 100), false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ name: 'StorageError', code: 'InvalidStateError' });
    expect((err as Error).message).toMatch(/^Saving the conversation failed: InvalidStateError/);
    expect(isStorageUnavailable(err)).toBe(true);
    await expect(store.list()).rejects.toMatchObject({ code: 'InvalidStateError' });
  });

  it('a full disk rejects with QuotaExceededError and changes neither the conversation nor the index', async () => {
    await store.save(conversation('a', 100, 1), false);
    idb.commitFailure = 'QuotaExceededError';
    const err = await store.save(conversation('a', 200, 3), true).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StorageError', code: 'QuotaExceededError' });
    expect(isStorageUnavailable(err)).toBe(true);

    idb.commitFailure = undefined;
    expect(await store.list()).toEqual([expect.objectContaining({ id: 'a', updatedAt: 100, turnCount: 1 })]);
    expect((await store.load('a'))?.turns).toHaveLength(1);
  });

  it('tells storage being unavailable from a bug', () => {
    for (const name of ['InvalidStateError', 'QuotaExceededError', 'UnknownError', 'SecurityError', 'NotSupportedError']) {
      expect(isStorageUnavailable(new DOMException('x', name)), name).toBe(true);
      expect(isStorageUnavailable(StorageError.from('Saving', new DOMException('x', name))), name).toBe(true);
    }
    expect(isStorageUnavailable(StorageError.from('Saving', new DOMException('x', 'DataCloneError')))).toBe(false);
    expect(isStorageUnavailable(new TypeError('bug'))).toBe(false);
    expect(StorageError.from('Saving', null)).toMatchObject({ code: 'UnknownError', message: 'Saving failed: UnknownError: no error was given' });
  });

  it('the default store where there is no IndexedDB (Node) rejects with NotSupportedError', async () => {
    const { saveConversation } = await import('../../lib/storage/sessions.ts');
    const err = await saveConversation(conversation('a', 100), false).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StorageError', code: 'NotSupportedError' });
    expect(isStorageUnavailable(err)).toBe(true);
  });
});
