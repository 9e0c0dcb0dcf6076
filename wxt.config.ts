import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FIREFOX_ADDON_ID } from './lib/core/extension-ids.ts';
import { OCR_DIR, OCR_FILES } from './lib/capture/page/ocr.ts';

// Public half of a development-only key: gives unpacked builds a stable id (DEV_EXTENSION_ID)
// so the proxy's allowed origin does not change between loads. Store builds
// (SIGHTLINE_STORE=1) leave it out: the store assigns the id.
const DEV_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArJS0ExflnVENH018BPyjEl2Xio6RVG22iV1nY0OrjWxDFWnKEUz/4EArzSoYPCZBLT33/9QhGAA1TiEcEIOpHKQu8FbHQnNr85Guj2YCHIEjahg5uCB4Pb6q6aPwEJhpBVFhsWEHRaVxWNj7uVj6p7NHOqTmjUcWT1b5qSoYSAABPvKM2rk6vXLOsKqSrS3Lc50t6PRzlyHoym2T+MAcuOyZZ1PFKvfnFdo7B8KM19R2qn2jSPEw7KHEJLGZVQWcbH6vT8cDoPfrsA1pUf7mPVRZrM8ZaRPYxOiVKE72WDbOkA6yWnGrnxt1+4Efb1lIqYvi80qeOUsxSEOvrk4V5wIDAQAB';

// Explicit in both browsers: Firefox's MV3 default would add upgrade-insecure-requests, breaking an http proxy on a LAN.
// 'wasm-unsafe-eval': the OCR Worker compiles tesseract's WebAssembly core (lib/capture/page/ocr.ts); it allows
// WebAssembly only, not eval of JavaScript.
const EXTENSION_PAGES_CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:";

/**
 * OCR for text-only models (lib/capture/page/ocr.ts) runs from files inside the extension, never a CDN: tesseract.js's
 * worker, its SIMD+LSTM WebAssembly core (loader and .wasm) and English `4.0.0_best_int` data (2.9 MB gzipped;
 * `4.0.0` is 11 MB), copied from node_modules into `/ocr/` of both builds. scripts/store-checks.ts budgets them apart
 * from the JavaScript.
 */
function ocrAssets(): Array<{ absoluteSrc: string; relativeDest: string }> {
  const require = createRequire(import.meta.url);
  const pkg = (name: string) => dirname(require.resolve(`${name}/package.json`));
  const dest = (file: string) => `${OCR_DIR.replace(/^\/|\/$/g, '')}/${file}`;
  const wasm = OCR_FILES.core.replace(/\.js$/, '.wasm');
  return [
    { absoluteSrc: join(pkg('tesseract.js'), 'dist', OCR_FILES.worker), relativeDest: dest(OCR_FILES.worker) },
    { absoluteSrc: join(pkg('tesseract.js-core'), OCR_FILES.core), relativeDest: dest(OCR_FILES.core) },
    { absoluteSrc: join(pkg('tesseract.js-core'), wasm), relativeDest: dest(wasm) },
    { absoluteSrc: join(pkg('tesseract.js-core'), 'LICENSE'), relativeDest: dest('LICENSE.txt') },
    { absoluteSrc: join(pkg('@tesseract.js-data/eng'), '4.0.0_best_int', `${OCR_FILES.lang}.traineddata.gz`), relativeDest: dest(`${OCR_FILES.lang}.traineddata.gz`) },
  ];
}

/**
 * tesseract.js's entry requires regenerator-runtime, a polyfill for generators that every browser Sightline supports
 * has natively; its fallback builds a function from a string (`Function('r', ...)`), which `web-ext lint` flags as
 * eval (and the pages' CSP would refuse). The extension's bundle gets an empty module instead.
 */
function withoutRegeneratorRuntime() {
  const id = '\0no-regenerator-runtime';
  return {
    name: 'sightline:no-regenerator-runtime',
    enforce: 'pre' as const,
    resolveId: (source: string) => (source === 'regenerator-runtime/runtime' ? id : undefined),
    load: (loaded: string) => (loaded === id ? 'export {};' : undefined),
  };
}

// Only development builds may carry a proxy URL and token from the environment; a store build never does.
const STORE = process.env.SIGHTLINE_STORE === '1';
const devValue = (name: string) => JSON.stringify(STORE ? '' : (process.env[name] ?? ''));

export default defineConfig({
  // One promise-based `browser` everywhere (import { browser } from 'wxt/browser'), polyfilled in Chrome.
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/auto-icons', '@wxt-dev/i18n/module'],
  // Every icon size both stores ask for (Chrome 16/32/48/128, Firefox 48/96), made from one source file.
  autoIcons: { baseIconPath: 'assets/icon.svg', sizes: [128, 96, 48, 32, 16], developmentIndicator: false },
  // Tests build into their own folder so a developer's build never swaps files under a running browser.
  outDir: process.env.SIGHTLINE_OUT_DIR ?? '.output',
  // The sources zip Firefox Add-ons reviewers rebuild from: code, lock file and build config; not the docs'
  // pictures (1.7 MB of panel screenshots) or benchmarks.
  zip: { excludeSources: ['docs/**', 'bench/**'] },
  // MV3 in both browsers (Firefox too; docs/firefox.md): one manifest shape, one `action` API, a suspendable background.
  manifestVersion: 3,
  hooks: {
    'build:publicAssets': (_wxt, files) => {
      files.push(...ocrAssets());
    },
  },
  vite: () => ({
    plugins: [preact(), withoutRegeneratorRuntime()],
    define: {
      __SIGHTLINE_PROXY_URL__: devValue('SIGHTLINE_PROXY_URL'),
      __SIGHTLINE_PROXY_TOKEN__: devValue('SIGHTLINE_PROXY_TOKEN'),
    },
  }),
  manifest: ({ browser }) => {
    // Every string a person reads comes from locales/<lang>.yml (English, German), through @wxt-dev/i18n.
    const common = {
      name: '__MSG_extName__',
      description: '__MSG_extDescription__',
      default_locale: 'en',
      action: { default_title: '__MSG_actionTitle__' },
      commands: {
        'toggle-pause': {
          suggested_key: { default: 'Alt+Shift+P' },
          description: '__MSG_commandTogglePause__',
        },
      },
    };
    if (browser === 'firefox') {
      // Firefox MV3 (docs/firefox.md says why): an event page instead of a service worker, the panel as
      // sidebar_action (WXT maps the sidepanel entrypoint), no tabCapture/offscreen: tabs.captureVisibleTab
      // needs the host permission (granted at install since Firefox 127) to sample the shared tab.
      return {
        ...common,
        permissions: ['storage', 'tabs', 'activeTab'],
        // read_page (issue 14): asked for from the panel the first time the model wants a page's text.
        optional_permissions: ['scripting'],
        host_permissions: ['<all_urls>'],
        content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
        browser_specific_settings: {
          gecko: {
            id: FIREFOX_ADDON_ID,
            // 140: first desktop release that reads data_collection_permissions.
            strict_min_version: '140.0',
            // Frames of the shared tab, screen or camera and the typed questions go to Gemini via the proxy.
            data_collection_permissions: { required: ['websiteContent', 'personalCommunications'] },
          },
          // Android reads data_collection_permissions from 142 (web-ext lint); there is no sidebar there anyway.
          gecko_android: { strict_min_version: '142.0' },
        },
      };
    }
    return {
      ...common,
      ...(STORE ? {} : { key: DEV_PUBLIC_KEY }),
      minimum_chrome_version: '116',
      permissions: ['storage', 'sidePanel', 'offscreen', 'tabCapture', 'activeTab', 'tabs'],
      // read_page (issue 14): asked for from the panel the first time the model wants a page's text.
      optional_permissions: ['scripting'],
      // A model server the person enters in Settings (Ollama, LM Studio, vLLM, a provider): the panel asks for that
      // one origin on the click that uses it (lib/panel/server-access.ts), so a server without CORS headers answers.
      optional_host_permissions: ['http://*/*', 'https://*/*'],
      content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
    };
  },
});
