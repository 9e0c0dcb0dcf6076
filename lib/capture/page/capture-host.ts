/**
 * Runs captures on the background's commands (CaptureCommands), answering each with its typed reply. Shared by
 * Chrome's offscreen document and Firefox's sidebar (camera, screen): both serve it on CAPTURE_PORT.
 */
import type { CaptureEvent, FrameCommands, GrabResult, LiveCommands, OcrResult, StartReply } from '../../protocol/capture.ts';
import type { RpcHandlers } from '../../messaging/rpc.ts';
import { CaptureSession } from './capture-session.ts';
import { normalizeRegions } from '../../core/frames/redaction.ts';
import { pointedRegion } from '../../core/region/crop.ts';

export interface CaptureHost {
  /** The answer to each capture command (the Live commands are served by whoever holds the socket). */
  handlers: RpcHandlers<FrameCommands>;
  /** Whether a capture is running here. */
  active(): boolean;
}

/** `emit` carries what the running capture reports (started, frames, drops, ended) to the background. */
export function createCaptureHost(emit: (event: CaptureEvent) => void): CaptureHost {
  let capture: CaptureSession | undefined;

  const handlers: RpcHandlers<FrameCommands> = {
    async start(cmd): Promise<StartReply> {
      capture?.stop();
      capture = undefined;
      try {
        const session = await CaptureSession.open(
          { source: cmd.source, streamId: cmd.streamId, width: cmd.width, height: cmd.height },
          { fps: cmd.fps, minFps: cmd.minFps, quality: cmd.quality, maxSide: cmd.maxSide, redactions: normalizeRegions(cmd.redactions) },
          {
            onFrame: (frame) => emit({ type: 'frame', frame }),
            onDropped: () => emit({ type: 'frame-dropped' }),
            onEnded: (reason) => {
              if (capture === session) capture = undefined;
              emit({ type: 'capture-ended', reason });
            },
          },
        );
        capture = session;
        emit({ type: 'capture-started', source: cmd.source, label: session.label });
        return { ok: true, sound: session.sound, ...(session.soundNote ? { soundNote: session.soundNote } : {}) };
      } catch (err) {
        const reason = `Could not start sharing: ${(err as Error).message || String(err)}`;
        emit({ type: 'capture-ended', reason, error: true });
        return { ok: false, error: reason };
      }
    },
    stop() {
      capture?.stop();
      capture = undefined;
    },
    pause({ paused }) {
      capture?.setPaused(paused);
    },
    'set-redactions'({ regions }) {
      capture?.setRedactions(normalizeRegions(regions));
    },
    'set-rate'({ fps, minFps }) {
      capture?.setRate(fps, minFps);
    },
    async grab({ maxSide, quality, crop, withSound }): Promise<GrabResult> {
      if (!capture) return { ok: false, error: 'Nothing is being shared.' };
      try {
        return { ok: true, frame: await capture.grab(maxSide, quality, pointedRegion(crop), withSound === true) };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    },
    async prepare({ maxSide, quality }) {
      await capture?.prepare(maxSide, quality);
    },
    status: () => ({ active: Boolean(capture), source: capture?.source }),
    async ocr({ jpeg }): Promise<OcrResult> {
      try {
        // Imported on first use: tesseract.js is a chunk of its own, loaded only for a text-only model.
        const { readScreenText } = await import('./ocr.ts');
        return { ok: true, text: await readScreenText(jpeg) };
      } catch (err) {
        return { ok: false, error: `Could not read the screen's text: ${(err as Error).message || String(err)}` };
      }
    },
  };

  return { handlers, active: () => Boolean(capture) };
}

const NO_LIVE_HERE = 'Live mode is not available in this page.';

/** The Live commands of a page that cannot hold a Live conversation: each refuses in words. */
export const LIVE_UNAVAILABLE: RpcHandlers<LiveCommands> = {
  'start-live': () => ({ ok: false, error: NO_LIVE_HERE }),
  'end-live': () => {},
  mute: () => {},
  'live-text': () => {},
  'live-frame': () => {},
};
