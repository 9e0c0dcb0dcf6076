import { browser } from 'wxt/browser';
import { startBackground } from '@/lib/background/start.ts';
import { createChromeCapture } from '@/lib/capture/chrome-backend.ts';

export default defineBackground(() => {
  startBackground(createChromeCapture(), (tab) => {
    void browser.sidePanel.open({ windowId: tab.windowId });
  });
});
