import { runOffscreenHost } from '@/lib/capture/page/offscreen-host.ts';
import { createLiveHost } from '@/lib/live/live-host.ts';

// The offscreen document holds both the capture and the Live socket: it stays alive while either runs.
runOffscreenHost((emit, grab) =>
  createLiveHost({
    emit,
    grabFrame: async () => {
      const res = await grab();
      return res.ok ? res.frame.data : undefined;
    },
  }),
);
