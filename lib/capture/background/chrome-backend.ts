/** Chrome's capture: tabCapture stream ids from the service worker, pixels in an offscreen document. */
import type { Browser } from 'wxt/browser';
import { browser } from 'wxt/browser';
import type { GrabResult, OffscreenCommand, StartResult, Untargeted } from '../../protocol/messages.ts';
import type { CaptureBackend, StartRequest } from '../backend.ts';
import { capturePortClient } from '../../messaging/capture-port.ts';

const OFFSCREEN_PATH = '/offscreen.html';
const GRAB_TIMEOUT_MS = 4000;

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

function send<T>(cmd: Untargeted<OffscreenCommand>): Promise<T> {
  return browser.runtime.sendMessage({ target: 'offscreen', ...cmd }) as Promise<T>;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}

export function createChromeCapture(): CaptureBackend {
  const port = capturePortClient();
  return {
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
      const res = await send<StartResult | undefined>({ type: 'start', source: req.source, streamId, width, height, ...req.settings });
      if (!res?.ok) throw new Error(res?.error ?? 'Could not start sharing.');
      // Only a tab is heard (camera and screen are shared without sound).
      return req.source === 'tab' ? { label, sound: res.sound === true, ...(res.soundNote ? { soundNote: res.soundNote } : {}) } : { label };
    },
    async stop() {
      if (await hasOffscreen()) {
        await send({ type: 'stop' }).catch(() => {});
        await browser.offscreen.closeDocument().catch(() => {});
      }
    },
    async setPaused(paused) {
      if (await hasOffscreen()) await send({ type: 'pause', paused });
    },
    async setRate(fps, minFps) {
      if (await hasOffscreen()) await send({ type: 'set-rate', fps, minFps });
    },
    async setRedactions(regions) {
      if (await hasOffscreen()) await send({ type: 'set-redactions', regions });
    },
    async grab(opts = {}) {
      // Straight to the offscreen document (no getContexts round trip first): this is on the path to the answer.
      const res = await withTimeout(
        port.call<GrabResult>({ type: 'grab', ...opts }) ?? send<GrabResult | undefined>({ type: 'grab', ...opts }).catch(() => undefined),
        GRAB_TIMEOUT_MS,
        'No frame yet: the shared source did not answer.',
      );
      if (!res) throw new Error('Nothing is being shared.');
      if (!res.ok) throw new Error(res.error);
      return res.frame;
    },
    async isActive() {
      if (!(await hasOffscreen())) return false;
      const res = await send<{ active: boolean }>({ type: 'status' }).catch(() => undefined);
      return Boolean(res?.active);
    },
  };
}
