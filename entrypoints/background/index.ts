import { browser } from 'wxt/browser';
import { startBackground } from '@/entrypoints/background/wiring.ts';
import { createChromeCapture } from '@/lib/capture/background/chrome-backend.ts';
import { createFirefoxCapture } from '@/lib/capture/background/firefox-backend.ts';

/** Firefox-only API, absent from the Chrome-based `browser` types. */
type FirefoxBrowser = { sidebarAction: { open(): Promise<void> } };

export default defineBackground(() => {
  // BROWSER is a build-time constant: each build keeps only its own branch.
  if (import.meta.env.BROWSER === 'firefox') {
    startBackground(createFirefoxCapture(), () => {
      // Synchronously inside the click handler: Firefox opens the sidebar only on user input.
      void (browser as unknown as FirefoxBrowser).sidebarAction.open();
    });
  } else {
    startBackground(createChromeCapture(), (tab) => {
      void browser.sidePanel.open({ windowId: tab.windowId });
    });
  }
});
