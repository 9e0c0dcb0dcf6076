import { runOffscreenHost } from '@/lib/capture/offscreen-host.ts';

runOffscreenHost();
