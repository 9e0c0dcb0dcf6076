// Relays an upstream SSE body to the client byte for byte, cut only at event boundaries, so that a
// connection lost mid-event can be closed with a whole Gemini error event instead of half a JSON object.
// Pull-based with no queue: a byte leaves as soon as its event is complete, and a client that goes
// away cancels the upstream read at once.
import { geminiErrorBody } from './errors.ts';
import { ERROR_EVENT, scanUsage, type Usage } from './usage.ts';
import type { ChunkReader } from './context.ts';

/** How a relayed stream ended, with the last usage counts seen and the bytes passed on. */
export interface RelayOutcome extends Usage {
  /** 'done': upstream ended cleanly; 'dropped': upstream failed mid-stream; 'cancelled': client left. */
  end: 'done' | 'dropped' | 'cancelled';
  errorEvent: boolean;
  bytes: number;
}

const LF = 10;
const CR = 13;
const encoder = new TextEncoder();
// One decoder for every stream, without `stream: true`: the relay only ever hands over whole events, so a
// UTF-8 character never straddles two chunks.
const decoder = new TextDecoder();

/** Index just past the last blank line (`\n\n` or `\r\n\r\n`), or 0 when the buffer holds no complete event. */
export function lastEventEnd(buf: Uint8Array): number {
  for (let i = buf.length - 1; i > 0; i--) {
    if (buf[i] !== LF) continue;
    if (buf[i - 1] === LF) return i + 1;
    if (buf[i - 1] === CR && i >= 2 && buf[i - 2] === LF) return i + 1;
  }
  return 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const droppedEvent = () =>
  encoder.encode(
    `data: ${geminiErrorBody(502, 'UNAVAILABLE', 'The connection to Gemini was lost mid-answer. Ask again; the proxy did not receive the rest of this answer.')}\n\n`,
  );

/**
 * The client's copy of an upstream SSE body: bytes passed on as whole events only; a stream that breaks
 * mid-event ends with a Gemini error event (502 UNAVAILABLE). `onEnd` is called once, when the stream ends,
 * breaks or the client cancels. Never errors towards the client.
 */
export function relaySse(upstream: ReadableStream<Uint8Array> | ChunkReader, onEnd: (o: RelayOutcome) => void): ReadableStream<Uint8Array> {
  const reader: ChunkReader = 'getReader' in upstream ? upstream.getReader() : upstream;
  const outcome: RelayOutcome = { prompt: 0, answer: 0, end: 'done', errorEvent: false, bytes: 0 };
  let partial: Uint8Array | null = null;
  let ended = false;
  const finish = (end: RelayOutcome['end']) => {
    if (ended) return;
    ended = true;
    scanPending();
    outcome.end = end;
    onEnd(outcome);
  };
  const scan = (bytes: Uint8Array) => {
    const text = decoder.decode(bytes);
    scanUsage(text, outcome);
    if (!outcome.errorEvent && ERROR_EVENT.test(text)) outcome.errorEvent = true;
  };
  // Counted after the bytes are on their way, in a later macrotask: Node's http response writes a chunk on
  // the next tick (after every queued microtask), so a scan queued as a microtask delayed each chunk's write
  // (~20 us each on Node, measured). finish() scans whatever is still pending, so it sees every count.
  let pending: Uint8Array[] = [];
  let scheduled = false;
  const scanPending = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    for (const bytes of batch) scan(bytes);
  };
  const forward = (controller: ReadableStreamDefaultController<Uint8Array>, bytes: Uint8Array) => {
    controller.enqueue(bytes);
    outcome.bytes += bytes.length;
    pending.push(bytes);
    if (!scheduled) { scheduled = true; setTimeout(scanPending, 0); }
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let read: Awaited<ReturnType<typeof reader.read>>;
          try {
            read = await reader.read();
          } catch {
            if (ended) return;
            controller.enqueue(droppedEvent());
            controller.close();
            finish('dropped');
            return;
          }
          if (read.done) {
            // Leftover bytes without a closing blank line: the upstream was cut mid-event.
            const cut = partial !== null && decoder.decode(partial).trim().length > 0;
            if (cut) controller.enqueue(droppedEvent());
            controller.close();
            finish(cut ? 'dropped' : 'done');
            return;
          }
          const chunk: Uint8Array = partial ? concat(partial, read.value) : read.value;
          const end = lastEventEnd(chunk);
          if (end === chunk.length) {
            partial = null;
            forward(controller, chunk);
            return;
          }
          if (end > 0) {
            partial = chunk.slice(end);
            forward(controller, chunk.subarray(0, end));
            return;
          }
          partial = chunk;
        }
      },
      async cancel(reason) {
        finish('cancelled');
        await reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}
