import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    reporters: ['default', './tests/summary-reporter.ts'],
    projects: [
      {
        // Pure core and browser-API edges (WXT's fake browser), no real browser.
        plugins: [WxtVitest()],
        // setup-i18n: the fake browser answers i18n.getMessage from locales/en.yml.
        test: { name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'], environment: 'node', setupFiles: ['tests/unit/setup-i18n.ts'] },
      },
      {
        test: { name: 'proxy', include: ['tests/proxy/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        // Real browsers: one file at a time, the machine has two cores, and after the unit and proxy projects
        // (groupOrder 1), not beside their ~80 worker files: a chrome-panel-states run started beside them once saw no
        // frame of its static tab for a whole file (CI, Nov 30). The cause, found under that load: the offscreen
        // <video> never got the tab's first frame and a static tab sends no other; capture-session.ts now asks for a
        // fresh one (first-frame.ts); this order is kept all the same.
        test: {
          name: 'e2e',
          sequence: { groupOrder: 1 },
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
          globalSetup: ['tests/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
