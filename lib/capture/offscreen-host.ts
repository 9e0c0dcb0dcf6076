/** The offscreen document's side of the protocol: runs captures on the service worker's commands. */
import { browser } from 'wxt/browser';
import {
  isOffscreenCommand,
  type GrabResult,
  type OffscreenCommand,
  type OffscreenEvent,
  type Untargeted,
} from '../protocol/messages.ts';
import { CaptureSession } from './capture-session.ts';

function emit(event: Untargeted<OffscreenEvent>): void {
  // The service worker may be asleep or restarting; it reloads state from storage when it wakes.
  browser.runtime.sendMessage({ target: 'background', ...event }).catch(() => {});
}

export function runOffscreenHost(): void {
  let capture: CaptureSession | undefined;

  async function handle(cmd: OffscreenCommand): Promise<unknown> {
    switch (cmd.type) {
      case 'start': {
        capture?.stop();
        capture = undefined;
        try {
          capture = await CaptureSession.open(
            { source: cmd.source, streamId: cmd.streamId, width: cmd.width, height: cmd.height },
            { fps: cmd.fps, minFps: cmd.minFps, quality: cmd.quality, maxSide: cmd.maxSide },
            {
              onFrame: (frame) => emit({ type: 'frame', frame }),
              onDropped: () => emit({ type: 'frame-dropped' }),
              onEnded: (reason) => {
                capture = undefined;
                emit({ type: 'capture-ended', reason });
              },
            },
          );
          emit({ type: 'capture-started', source: cmd.source, label: capture.label });
          return { ok: true };
        } catch (err) {
          const reason = `Could not start sharing: ${(err as Error).message || String(err)}`;
          emit({ type: 'capture-ended', reason, error: true });
          return { ok: false, error: reason };
        }
      }
      case 'stop':
        capture?.stop();
        capture = undefined;
        return { ok: true };
      case 'pause':
        capture?.setPaused(cmd.paused);
        return { ok: true };
      case 'set-rate':
        capture?.setRate(cmd.fps, cmd.minFps);
        return { ok: true };
      case 'grab': {
        if (!capture) return { ok: false, error: 'Nothing is being shared.' } satisfies GrabResult;
        try {
          return { ok: true, frame: await capture.grab(cmd.maxSide, cmd.quality) } satisfies GrabResult;
        } catch (err) {
          return { ok: false, error: (err as Error).message } satisfies GrabResult;
        }
      }
      case 'status':
        return { active: Boolean(capture), source: capture?.source };
    }
  }

  browser.runtime.onMessage.addListener((msg: unknown) => {
    if (!isOffscreenCommand(msg)) return undefined;
    return handle(msg);
  });
}
