/**
 * The one queue every input of the conversation goes through: panel commands, capture events, tab
 * navigation, settings changes, and the words and end of a model call. Steps run one at a time in the
 * order they were queued, so no step ever sees another half done.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * Queues `step` after every step queued before it; resolves or rejects with its result. A step that fails
   * does not stop the queue. A step must not wait for a step queued after it (that would never run):
   * long work (a model call) runs outside the queue and queues its results.
   */
  run<T>(step: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(step);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
