/**
 * Chrome's capture: tabCapture stream ids from the service worker, pixels in an offscreen document. Every
 * command and event between the two goes on CAPTURE_PORT (lib/messaging/capture-port.ts).
 */
import type { Browser } from 'wxt/browser';
import { browser } from 'wxt/browser';
import type { CaptureEvent, CaptureCommands } from '../../protocol/capture.ts';
import { RpcTimeoutError, type RpcClient } from '../../messaging/rpc.ts';
import type { CaptureBackend, StartRequest } from '../backend.ts';
import { acceptCaptureHosts } from '../../messaging/capture-port.ts';

const OFFSCREEN_PATH = '/offscreen.html';
const GRAB_TIMEOUT_MS = 4000;
/** Commands other than start and grab: the offscreen document answers in milliseconds. */
const COMMAND_TIMEOUT_MS = 15_000;
/** Start may wait on the person choosing a screen in Chrome's picker. */
const START_TIMEOUT_MS = 5 * 60_000;
/** A new offscreen document, or one reconnecting to a restarted service worker, connects within this. */
const CONNECT_WAIT_MS = 5000;

/** The first read loads tesseract (about a second); a 1536 px frame then reads in one to three. */
const OCR_TIMEOUT_MS = 30_000;

const NOT_ANSWERING = 'The capture page did not answer.';

let creating: Promise<void> | undefined;

async function hasOffscreen(): Promise<boolean> {
  const contexts = await browser.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT' as Browser.runtime.ContextType] });
  return contexts.length > 0;
}

async function ensureOffscreen(): Promise<void> {
  if (await hasOffscreen()) return;
  creating ??= browser.offscreen
    .createDocument({
      url: browser.runtime.getURL(OFFSCREEN_PATH),
      reasons: ['USER_MEDIA', 'DISPLAY_MEDIA'] as Browser.offscreen.Reason[],
      justification: 'Samples frames of the tab, camera or screen the user chose to share with Sightline.',
    })
    .finally(() => (creating = undefined));
  await creating;
}

export function createChromeCapture(): CaptureBackend {
  // The offscreen document holds both the capture and the Live socket: neither's end may close it under the other.
  let sharing = false;
  let talking = false;
  let sink: ((event: CaptureEvent) => void) | undefined;
  // Registered now, synchronously: the offscreen document's reconnect may be what woke this worker.
  const hosts = acceptCaptureHosts({
    timeoutMs: COMMAND_TIMEOUT_MS,
    closedMessage: 'The capture page closed before answering.',
    onEvent: (event) => sink?.(event),
  });
  /** The offscreen document's connection (the newest: an older one is on its way out). */
  const current = (): RpcClient<CaptureCommands> | undefined => hosts.list().at(-1)?.commands;
  /** The offscreen document, once connected (waiting up to `waitMs`); undefined when there is none. */
  const offscreen = async (waitMs = CONNECT_WAIT_MS): Promise<RpcClient<CaptureCommands> | undefined> => {
    if (current()) return current();
    if (!(await hasOffscreen())) return undefined;
    return (await hosts.whenConnected(waitMs)) ? current() : undefined;
  };
  /** Like offscreen(), for commands that must reach a capture that exists. */
  const required = async (): Promise<RpcClient<CaptureCommands> | undefined> => {
    if (!(await hasOffscreen())) return undefined;
    const client = await offscreen();
    if (!client) throw new Error(NOT_ANSWERING);
    return client;
  };

  return {
    listen(s) {
      sink = s;
    },
    async start(req: StartRequest) {
      let streamId: string | undefined;
      let width: number | undefined;
      let height: number | undefined;
      let label: string | undefined;
      if (req.source === 'tab') {
        if (req.tabId === undefined) throw new Error('Click the Sightline button on the tab you want to share first.');
        const tab = await browser.tabs.get(req.tabId);
        label = tab.title;
        width = tab.width;
        height = tab.height;
        try {
          streamId = await browser.tabCapture.getMediaStreamId({ targetTabId: req.tabId });
        } catch (err) {
          throw new Error(
            `Chrome did not allow capturing this tab (${(err as Error).message}). Click the Sightline toolbar button on the tab, then share again.`,
          );
        }
      }
      await ensureOffscreen();
      const client = await offscreen();
      if (!client) throw new Error(`Could not start sharing: ${NOT_ANSWERING}`);
      const res = await client.call('start', { source: req.source, streamId, width, height, ...req.settings }, { timeoutMs: START_TIMEOUT_MS });
      if (!res.ok) throw new Error(res.error);
      sharing = true;
      // Only a tab is heard (camera and screen are shared without sound).
      return req.source === 'tab' ? { label, sound: res.sound === true, ...(res.soundNote ? { soundNote: res.soundNote } : {}) } : { label };
    },
    async stop() {
      sharing = false;
      if (await hasOffscreen()) {
        await current()?.call('stop', undefined).catch(() => {});
        if (talking) return; // the Live conversation goes on in the same document
        // Closing the document ends its streams even if it did not answer.
        await browser.offscreen.closeDocument().catch(() => {});
        // Its port may report the disconnect only later: a share right after this must not talk to it.
        for (const host of hosts.list()) host.commands.close('The offscreen document closed.');
      }
    },
    async setPaused(paused) {
      await (await required())?.call('pause', { paused });
    },
    async setRate(fps, minFps) {
      await (await required())?.call('set-rate', { fps, minFps });
    },
    async setRedactions(regions) {
      await (await required())?.call('set-redactions', { regions });
    },
    async grab(opts = {}) {
      // Straight to the connected offscreen document (no getContexts round trip): this is on the path to the answer.
      const client = current() ?? (await offscreen(GRAB_TIMEOUT_MS));
      if (!client) throw new Error('Nothing is being shared.');
      const res = await client.call('grab', opts, { timeoutMs: GRAB_TIMEOUT_MS }).catch((err: Error) => {
        throw err instanceof RpcTimeoutError ? new Error('No frame yet: the shared source did not answer.') : err;
      });
      if (!res.ok) throw new Error(res.error);
      return res.frame;
    },
    async prepare(opts = {}) {
      // A hint: no waiting for a connection, no error if there is no capture.
      await current()?.call('prepare', opts, { timeoutMs: GRAB_TIMEOUT_MS }).catch(() => {});
    },
    async isActive() {
      const client = await offscreen();
      const status = await client?.call('status', undefined).catch(() => undefined);
      sharing = Boolean(status?.active);
      return sharing;
    },
    async ocr(jpeg) {
      // The offscreen document reads it: the service worker cannot start the OCR Worker.
      const client = current() ?? (await offscreen(GRAB_TIMEOUT_MS));
      if (!client) throw new Error('Nothing is being shared.');
      const res = await client.call('ocr', { jpeg }, { timeoutMs: OCR_TIMEOUT_MS });
      if (!res.ok) throw new Error(res.error);
      return res.text;
    },
    live: {
      async start(req) {
        await ensureOffscreen();
        const client = await offscreen();
        if (!client) throw new Error(`Could not start Live mode: ${NOT_ANSWERING}`);
        const res = await client.call('start-live', req, { timeoutMs: COMMAND_TIMEOUT_MS });
        if (!res.ok) throw new Error(res.error);
        talking = true;
      },
      async end() {
        talking = false;
        const client = current();
        if (!client) return;
        await client.call('end-live', undefined).catch(() => {});
        if (sharing) return;
        // Nothing else runs in the document: closing it releases the microphone at once.
        await browser.offscreen.closeDocument().catch(() => {});
        for (const host of hosts.list()) host.commands.close('The offscreen document closed.');
      },
      async setMuted(muted) {
        await (await required())?.call('mute', { muted });
      },
      async sendText(text) {
        const client = await required();
        if (!client) throw new Error('Live mode is not running.');
        await client.call('live-text', { text }, { timeoutMs: GRAB_TIMEOUT_MS + 1000 });
      },
      async isActive() {
        const client = await offscreen();
        const status = await client?.call('status', undefined).catch(() => undefined);
        talking = Boolean(status?.live);
        sharing = Boolean(status?.active);
        return talking;
      },
    },
  };
}
