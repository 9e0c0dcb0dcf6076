/**
 * An in-memory idb-keyval store for unit tests (Node has no IndexedDB, and fake-indexeddb is not a
 * dependency). It implements the part of IDBObjectStore that idb-keyval and lib/storage/sessions.ts use —
 * get, put, delete, clear, getAllKeys — with IndexedDB's timing: requests succeed asynchronously in order,
 * the transaction commits once no request is pending, and writes apply at commit or not at all. Values are
 * structured-cloned in and out, as IndexedDB does. Tests only.
 */
import type { UseStore } from 'idb-keyval';

/** A staged delete, told apart from a staged write of any value. */
const DELETED = Symbol('deleted');

type Handler = ((this: unknown) => void) | null;

class FakeRequest {
  result: unknown = undefined;
  error: DOMException | null = null;
  onsuccess: Handler = null;
  onerror: Handler = null;
}

class FakeTransaction {
  oncomplete: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;
  error: DOMException | null = null;
  private queue: Array<() => void> = [];
  private scheduled = false;
  private done = false;

  private readonly commit: () => DOMException | undefined;

  /** `commit` applies the staged writes and returns the error that aborts the transaction instead, if any. */
  constructor(commit: () => DOMException | undefined) {
    this.commit = commit;
    this.schedule();
  }

  enqueue(run: () => unknown): FakeRequest {
    if (this.done) throw new DOMException('The transaction has finished.', 'TransactionInactiveError');
    const request = new FakeRequest();
    this.queue.push(() => {
      request.result = run();
      request.onsuccess?.call(request);
    });
    this.schedule();
    return request;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A macrotask: the promise callbacks a success handler triggers run first and may queue more requests,
    // as they may in a real transaction.
    setTimeout(() => this.tick());
  }

  private tick(): void {
    this.scheduled = false;
    const next = this.queue.shift();
    if (next) {
      next();
      this.schedule();
      return;
    }
    this.done = true;
    const failure = this.commit();
    if (failure) {
      this.error = failure;
      this.onabort?.call(this);
    } else {
      this.oncomplete?.call(this);
    }
  }
}

/** An in-memory store with counters and switches for failures. */
export class MemoryIdb {
  /** What is stored, by key. */
  readonly data = new Map<IDBValidKey, unknown>();
  /** Every key read with get(), in order. */
  readonly reads: IDBValidKey[] = [];
  /** When set, opening the database fails with this DOMException name (e.g. 'InvalidStateError'). */
  openFailure: string | undefined;
  /** When set, every readwrite transaction aborts at commit with this DOMException name (e.g. 'QuotaExceededError'). */
  commitFailure: string | undefined;

  /** The idb-keyval store to hand to the code under test. */
  readonly useStore: UseStore = (mode, callback) => {
    if (this.openFailure) return Promise.reject(new DOMException('Opening the database failed.', this.openFailure));
    const staged = new Map<IDBValidKey, unknown>();
    let cleared = false;
    const commit = (): DOMException | undefined => {
      if (mode === 'readwrite' && this.commitFailure) return new DOMException('The write failed.', this.commitFailure);
      if (cleared) this.data.clear();
      for (const [key, value] of staged) {
        if (value === DELETED) this.data.delete(key);
        else this.data.set(key, value);
      }
      return undefined;
    };
    const tx = new FakeTransaction(commit);
    const visible = (key: IDBValidKey): unknown => (staged.has(key) ? staged.get(key) : cleared ? undefined : this.data.get(key));
    const writable = () => {
      if (mode !== 'readwrite') throw new DOMException('The transaction is read-only.', 'ReadOnlyError');
    };
    const store = {
      transaction: tx,
      get: (key: IDBValidKey) => {
        this.reads.push(key);
        return tx.enqueue(() => {
          const value = visible(key);
          return value === DELETED || value === undefined ? undefined : structuredClone(value);
        });
      },
      put: (value: unknown, key: IDBValidKey) => {
        writable();
        const copy = structuredClone(value);
        return tx.enqueue(() => {
          staged.set(key, copy);
          return key;
        });
      },
      delete: (key: IDBValidKey) => {
        writable();
        return tx.enqueue(() => void staged.set(key, DELETED));
      },
      clear: () => {
        writable();
        return tx.enqueue(() => {
          cleared = true;
          staged.clear();
        });
      },
      getAllKeys: () =>
        tx.enqueue(() => {
          const keys = new Set<IDBValidKey>(cleared ? [] : this.data.keys());
          for (const [key, value] of staged) {
            if (value === DELETED) keys.delete(key);
            else keys.add(key);
          }
          return [...keys];
        }),
    };
    // The fake implements the subset of IDBObjectStore that idb-keyval and lib/storage use.
    return Promise.resolve().then(() => callback(store as unknown as IDBObjectStore));
  };

  /** Keys of conversation records that were read (session:<id>), i.e. reads that may carry frames. */
  conversationReads(): IDBValidKey[] {
    return this.reads.filter((k) => typeof k === 'string' && k.startsWith('session:'));
  }
}
