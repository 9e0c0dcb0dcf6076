/**
 * Failures of the conversation store (IndexedDB), as one recognisable Error. Pure: no browser APIs, so the
 * browser-free session manager may import it to decide whether to carry on in memory.
 */

/**
 * DOMException names that mean "this browser will not keep data for us now", as opposed to a bug in what we
 * tried to write (DataCloneError, DataError):
 * - InvalidStateError: IndexedDB refused to open, e.g. Firefox with "Never remember history";
 * - QuotaExceededError: the disk or the origin's quota is full;
 * - SecurityError: storage blocked by policy or a sandboxed context;
 * - UnknownError: Chrome's word for a broken or unreadable backing store (disk I/O, corruption);
 * - NotSupportedError: no IndexedDB in this context at all (StorageError raises it for a missing `indexedDB`).
 */
const UNAVAILABLE = new Set(['InvalidStateError', 'QuotaExceededError', 'SecurityError', 'UnknownError', 'NotSupportedError']);

/**
 * A conversation could not be read or written.
 * `name` is always 'StorageError'; `code` is the underlying DOMException's name ('QuotaExceededError',
 * 'InvalidStateError', …, or 'UnknownError' when IndexedDB gave no error object); `cause` is the original.
 * The message says what was being done and why it failed, e.g.
 * "Saving the conversation failed: QuotaExceededError: The quota has been exceeded."
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: string;

  constructor(operation: string, code: string, detail: string, cause?: unknown) {
    super(`${operation} failed: ${code}${detail ? `: ${detail}` : ''}`, { cause });
    this.code = code;
  }

  /** Wraps whatever IndexedDB rejected with (a DOMException, an Error, or `null` on a bare abort). */
  static from(operation: string, err: unknown): StorageError {
    if (err instanceof StorageError) return err;
    const { name, message } = describe(err);
    return new StorageError(operation, name, message, err);
  }
}

/**
 * True when `err` says storage cannot be used now (IndexedDB unavailable, quota exceeded, backing store
 * broken), so a caller should keep conversations in memory instead; false for other errors, which are bugs
 * (e.g. a value that cannot be cloned) and should surface as such. Accepts a StorageError or a raw DOMException.
 */
export function isStorageUnavailable(err: unknown): boolean {
  if (err instanceof StorageError) return UNAVAILABLE.has(err.code);
  return UNAVAILABLE.has(describe(err).name);
}

function describe(err: unknown): { name: string; message: string } {
  if (typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string') {
    const message = 'message' in err && typeof err.message === 'string' ? err.message : '';
    return { name: err.name, message };
  }
  return { name: 'UnknownError', message: err == null ? 'no error was given' : String(err) };
}
