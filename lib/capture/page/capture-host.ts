/**
 * Runs captures on the background's OffscreenCommands. Shared by Chrome's offscreen document and
 * Firefox's sidebar (camera, screen): only how commands arrive and events leave differs.
 */
import type { GrabResult, OffscreenCommand, OffscreenEvent, StartResult, Untargeted } from '../../protocol/messages.ts';
import { CaptureSession } from './capture-session.ts';
import { normalizeRegions } from '../../core/frames/redaction.ts';
import { pointedRegion } from '../../core/region/crop.ts';

export interface CaptureHost {
  handle(cmd: OffscreenCommand): Promise<unknown>;
  /** Whether a capture is running here. */
  active(): boolean;
}

export function createCaptureHost(emit: (event: Untargeted<OffscreenEvent>) => void): CaptureHost {
  let capture: CaptureSession | undefined;

  async function handle(cmd: OffscreenCommand): Promise<unknown> {
    switch (cmd.type) {
      case 'start': {
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
          return { ok: true, sound: session.sound, ...(session.soundNote ? { soundNote: session.soundNote } : {}) } satisfies StartResult;
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
      case 'set-redactions':
        capture?.setRedactions(normalizeRegions(cmd.regions));
        return { ok: true };
      case 'set-rate':
        capture?.setRate(cmd.fps, cmd.minFps);
        return { ok: true };
      case 'grab': {
        if (!capture) return { ok: false, error: 'Nothing is being shared.' } satisfies GrabResult;
        try {
          const frame = await capture.grab(cmd.maxSide, cmd.quality, pointedRegion(cmd.crop), cmd.withSound === true);
          return { ok: true, frame } satisfies GrabResult;
        } catch (err) {
          return { ok: false, error: (err as Error).message } satisfies GrabResult;
        }
      }
      case 'status':
        return { active: Boolean(capture), source: capture?.source };
    }
  }

  return { handle, active: () => Boolean(capture) };
}
