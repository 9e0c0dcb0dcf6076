/**
 * Timestamps inside the page that holds the Live socket (Chrome's offscreen document), for bench:live and the
 * Live e2e tests. Installed over the DevTools protocol before Live starts, it wraps three browser APIs the
 * product uses and records the wall-clock time (`performance.timeOrigin + performance.now()`, the same clock
 * as Node's on one machine) of:
 *   - each microphone chunk the AudioWorklet hands to the page (MessagePort `onmessage`), with the first
 *     30 bytes of its PCM as base64 (the first 40 characters of what goes on the wire, so the stand-in's
 *     copy can be matched to it);
 *   - each audio message the page writes to a WebSocket (`send`), and each message a WebSocket receives;
 *   - each AudioBufferSourceNode started or stopped, with the time it becomes audible: the context time it
 *     starts at, mapped to the page's clock through `AudioContext.getOutputTimestamp()` (which includes
 *     the output latency), or through `currentTime` plus `baseLatency + outputLatency` when the context
 *     reports no output timestamp (in Firefox neither is read: see the comment in `installProbe`).
 * It also taps every GainNode connected to a destination with an AnalyserNode, so a test can read what the
 * context is actually outputting (silence after barge-in) rather than trust the product's own state.
 */
import type { ChromeHarness } from './chromium.ts';

/** What the probe recorded (all times are wall-clock ms). */
export interface ProbeRecord {
  chunks: { at: number; key: string }[];
  sends: { at: number; key: string }[];
  recv: { at: number; bytes: number }[];
    /** `startsAt`: when the context renders its first sample; `audibleAt`: that plus the output device's latency. */
  starts: { at: number; startsAt: number; audibleAt: number; when: number; sec: number }[];
  stops: { at: number }[];
}

/** Runs in the page: installs the wrappers (idempotent). Pass it to a page's evaluate (Firefox: the panel page). */
export function installProbe(): void {
  type Probe = ProbeRecord & { analysers: AnalyserNode[] };
  const g = globalThis as unknown as { __probe?: Probe };
  if (g.__probe) return;
  const probe: Probe = { chunks: [], sends: [], recv: [], starts: [], stops: [], analysers: [] };
  g.__probe = probe;
  const wall = () => performance.timeOrigin + performance.now();
  const head = (buf: ArrayBuffer) => {
    const u = new Uint8Array(buf, 0, Math.min(30, buf.byteLength));
    let s = '';
    for (const x of u) s += String.fromCharCode(x);
    return btoa(s);
  };
  // Sightline's WebSocket may be a subclass (lib/live/ordered-socket.ts): its accessors live on a parent prototype.
  const inherited = (proto: object, name: string): PropertyDescriptor => {
    for (let p: object | null = proto; p; p = Object.getPrototypeOf(p)) {
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (d) return d;
    }
    throw new Error(`no ${name}`);
  };
  const port = inherited(MessagePort.prototype, 'onmessage');
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    configurable: true,
    get() { return port.get!.call(this); },
    set(fn: ((e: MessageEvent) => void) | null) {
      port.set!.call(this, fn && function (this: MessagePort, e: MessageEvent) {
        const d = e.data as { type?: string; pcm?: unknown } | null;
        if (d && d.type === 'chunk' && d.pcm instanceof ArrayBuffer) { const at = wall(); probe.chunks.push({ at, key: head(d.pcm) }); }
        return fn.call(this, e);
      });
    },
  });
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    const at = wall();
    if (typeof data === 'string' && data.includes('"audio"')) probe.sends.push({ at, key: /"data":"([^"]{40})/.exec(data)?.[1] ?? '' });
    return send.call(this, data);
  };
  const onmessage = inherited(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return onmessage.get!.call(this); },
    set(fn: ((e: MessageEvent) => void) | null) {
      onmessage.set!.call(this, fn && function (this: WebSocket, e: MessageEvent) {
        const at = wall();
        const d = e.data as Blob | ArrayBuffer | string;
        probe.recv.push({ at, bytes: typeof d === 'string' ? d.length : d instanceof Blob ? d.size : d.byteLength });
        return fn.call(this, e);
      });
    },
  });
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (this: AudioBufferSourceNode, when = 0, ...rest: number[]) {
    const at = wall();
    const ctx = this.context as AudioContext;
    const begins = Math.max(when, ctx.currentTime);
    const startsAt = at + (begins - ctx.currentTime) * 1000;
    // Not in Firefox: there getOutputTimestamp() and outputLatency ask the audio server for the stream's latency
    // from the main thread while holding the audio graph's lock, and with PulseAudio that deadlocked the whole
    // extension process about one run in ten (Firefox 153 ESR, Nov 30: gdb showed the main thread waiting on the
    // AudioIPC reply, the graph thread on its lock, the parent's AudioIPC server on PulseAudio's mainloop lock,
    // whose thread was in a stream callback). Sightline reads neither; Firefox's figure is then `startsAt`.
    const firefox = navigator.userAgent.includes('Firefox/');
    const ts = firefox ? undefined : ctx.getOutputTimestamp();
    const audibleAt = ts?.performanceTime && ts.contextTime !== undefined
      ? performance.timeOrigin + ts.performanceTime + (begins - ts.contextTime) * 1000
      : firefox ? startsAt + ctx.baseLatency * 1000
      : at + (begins - ctx.currentTime + ctx.baseLatency + (ctx.outputLatency || 0)) * 1000;
    probe.starts.push({ at, startsAt, audibleAt, when, sec: this.buffer?.duration ?? 0 });
    return start.call(this, when, ...rest);
  };
  const stop = AudioScheduledSourceNode.prototype.stop;
  AudioScheduledSourceNode.prototype.stop = function (this: AudioScheduledSourceNode, when?: number) {
    probe.stops.push({ at: wall() });
    return stop.call(this, when);
  };
  const connect = AudioNode.prototype.connect as (this: AudioNode, ...a: unknown[]) => unknown;
  (AudioNode.prototype as unknown as { connect: typeof connect }).connect = function (this: AudioNode, ...a: unknown[]) {
    if (this instanceof GainNode && a[0] instanceof AudioDestinationNode) {
      const analyser = this.context.createAnalyser();
      analyser.fftSize = 2048;
      connect.call(this, analyser);
      probe.analysers.push(analyser);
    }
    return connect.apply(this, a);
  };
}

/** Runs in the page: the peak absolute sample of what the tapped outputs play now (0 = silence). */
export function outputPeak(): number {
  const g = globalThis as unknown as { __probe?: { analysers: AnalyserNode[] } };
  let peak = 0;
  for (const a of g.__probe?.analysers ?? []) {
    if (a.context.state === 'closed') continue;
    const buf = new Float32Array(a.fftSize);
    a.getFloatTimeDomainData(buf);
    for (const v of buf) peak = Math.max(peak, Math.abs(v));
  }
  return peak;
}

/** Runs in the page: takes (and clears) what the probe recorded. */
export function takeProbe(): ProbeRecord {
  const p = (globalThis as unknown as { __probe: ProbeRecord }).__probe;
  return { chunks: p.chunks.splice(0), sends: p.sends.splice(0), recv: p.recv.splice(0), starts: p.starts.splice(0), stops: p.stops.splice(0) };
}

/** A DevTools session on the offscreen document (it exists once something is shared). */
export interface PageProbe {
  /** Evaluates `fn` in the page (a function without free variables), with JSON arguments. */
  run<T>(fn: (...args: never[]) => T | Promise<T>, ...args: unknown[]): Promise<T>;
  /** Takes (and clears) what the probe recorded. */
  take(): Promise<ProbeRecord>;
  /** The peak sample the page's audio outputs play right now. */
  peak(): Promise<number>;
}

/** Attaches to the extension's offscreen document and installs the probe in it. */
export async function probeOffscreen(chrome: ChromeHarness, timeoutMs = 10_000): Promise<PageProbe> {
  const deadline = Date.now() + timeoutMs;
  let target: { targetId: string } | undefined;
  while (!target && Date.now() < deadline) {
    const { targetInfos } = (await chrome.browserCdp('Target.getTargets', { filter: [{}] })) as { targetInfos: { targetId: string; url: string }[] };
    target = targetInfos.find((t) => t.url.endsWith('/offscreen.html'));
    if (!target) await new Promise((r) => setTimeout(r, 100));
  }
  if (!target) throw new Error('no offscreen document');
  const { sessionId } = (await chrome.browserCdp('Target.attachToTarget', { targetId: target.targetId, flatten: true })) as { sessionId: string };
  const run = async <T>(fn: (...args: never[]) => T | Promise<T>, ...args: unknown[]): Promise<T> => {
    const expression = `(${fn.toString()})(...${JSON.stringify(args)})`;
    const res = (await chrome.browserCdp('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId)) as {
      result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (res.exceptionDetails) throw new Error(`offscreen: ${res.exceptionDetails.exception?.description ?? res.exceptionDetails.text}`);
    return res.result.value as T;
  };
  await run(installProbe);
  return {
    run,
    take: () => run(takeProbe),
    peak: () => run(outputPeak),
  };
}
