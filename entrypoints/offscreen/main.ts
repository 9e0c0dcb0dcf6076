import { runOffscreenHost } from '@/lib/capture/page/offscreen-host.ts';

runOffscreenHost();
