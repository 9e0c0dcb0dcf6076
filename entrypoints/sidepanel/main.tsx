import { render } from 'preact';
import { App } from '@/components/App.tsx';
import { connectPanel } from '@/lib/panel/client.ts';
import { runPageCaptureHost } from '@/lib/capture/page/page-capture-host.ts';
import '@/components/panel.css';

// Firefox has no offscreen documents: the sidebar itself captures the camera and the screen.
if (import.meta.env.BROWSER === 'firefox') runPageCaptureHost();

render(<App client={connectPanel()} />, document.getElementById('app')!);
