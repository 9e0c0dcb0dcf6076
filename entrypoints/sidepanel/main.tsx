import { render } from 'preact';
import { App } from '@/components/App.tsx';
import { connectPanel } from '@/lib/panel/client.ts';
import { runPageCaptureHost } from '@/lib/capture/page/page-capture-host.ts';
import '@/components/panel.css';

// Firefox has no offscreen documents: the sidebar itself captures the camera and the screen, and holds the Live
// conversation (socket, microphone, player) while it is open. Imported dynamically so that Chrome's panel, where
// this branch is dropped at build time, does not load the Live client and the SDK it brings.
if (import.meta.env.BROWSER === 'firefox') {
  void import('@/lib/live/live-host.ts').then(({ createLiveHost }) =>
    runPageCaptureHost((emit, grab) =>
      createLiveHost({
        emit,
        grabFrame: async () => {
          const res = await grab();
          return res.ok ? res.frame.data : undefined;
        },
      }),
    ),
  );
}

render(<App client={connectPanel()} />, document.getElementById('app')!);
