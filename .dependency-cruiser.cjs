// The layer rules of README "Architecture", checked in CI (`npm run check:layers`, part of `npm test`).
// Each rule names a folder (a context or a layer) and what it must not import. Keep this file and the README
// table in step: the table says it in words, this file enforces it.
/** Folders by layer; a path matches when it starts with one of these. */
const CORE = '^lib/core/';
const PROTOCOL = '^lib/protocol/';
const MESSAGING = '^lib/messaging/';
const CONVERSATION = '^lib/conversation/';
const TRANSPORT = '^lib/transport/';
const STORAGE = '^lib/storage/';
const CAPTURE_SEAM = '^lib/capture/backend[.]ts$';
const CAPTURE_BACKGROUND = '^lib/capture/background/';
const CAPTURE_PAGE = '^lib/capture/page/';
const CAPTURE_WORKER = '^lib/capture/worker/';
const PANEL = '^lib/panel/';
const LIVE = '^lib/live/';
const COMPONENTS = '^components/';
const EXTENSION = '^(lib|components|entrypoints)/';
/** `#i18n`: WXT's generated, typed `i18n.t` over locales/*.yml (@wxt-dev/i18n); the panel's strings. */
const I18N = '^(#i18n|[.]wxt/i18n/)';

/** A rule: files under `from` may import only `allowed` (plus npm packages matched by `npm`). */
function onlyImports(name, from, allowed, comment, npm = '.*') {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: {
      pathNot: [...allowed, '^node_modules/', from],
      dependencyTypesNot: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'core'],
    },
  };
}

module.exports = {
  forbidden: [
    onlyImports('core-is-pure', CORE, [CORE],
      'lib/core is pure TypeScript: no browser, no other layer. It runs in vitest with nothing faked.'),
    {
      name: 'core-no-browser-packages',
      comment: 'lib/core imports no browser or network package at run time (type-only imports of @google/genai shapes are fine).',
      severity: 'error',
      from: { path: CORE },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional'], pathNot: ['node_modules/@google/genai/'] },
    },
    {
      name: 'core-runs-anywhere',
      comment: 'lib/core never imports a runtime value from @google/genai (types only).',
      severity: 'error',
      from: { path: CORE },
      to: { path: 'node_modules/@google/genai/', dependencyTypesNot: ['type-only'] },
    },
    onlyImports('protocol-is-types', PROTOCOL, [CORE, PROTOCOL],
      'lib/protocol holds the wire types between contexts; it depends on domain types only.'),
    onlyImports('messaging-carries-protocol', MESSAGING, [CORE, PROTOCOL],
      'lib/messaging is the typed channels between contexts; it knows the protocol, nothing of what runs on either side.'),
    onlyImports('conversation-is-browser-free', CONVERSATION, [CORE, PROTOCOL, CAPTURE_SEAM, TRANSPORT],
      'lib/conversation runs in the background but reaches the browser only through injected dependencies.'),
    onlyImports('transport-is-the-model-call', TRANSPORT, [CORE],
      'lib/transport calls the model through the proxy with the official SDK.'),
    onlyImports('storage-is-storage', STORAGE, [CORE, PROTOCOL],
      'lib/storage keeps values in browser storage and IndexedDB; it knows domain and wire types only.'),
    onlyImports('capture-seam', CAPTURE_SEAM, [CORE, PROTOCOL], 'The capture seam is an interface.'),
    onlyImports('capture-background', CAPTURE_BACKGROUND, [CORE, PROTOCOL, MESSAGING, STORAGE, CAPTURE_SEAM, CAPTURE_PAGE],
      'lib/capture/background runs in the background (Chrome service worker, Firefox event page).'),
    {
      name: 'service-worker-has-no-dom',
      comment: "Only the Firefox backend may use page code: Firefox's event page has a DOM, Chrome's service worker does not.",
      severity: 'error',
      from: { path: CAPTURE_BACKGROUND, pathNot: '/firefox-[^/]+[.]ts$' },
      to: { path: CAPTURE_PAGE },
    },
    onlyImports('capture-page', CAPTURE_PAGE, [CORE, PROTOCOL, MESSAGING],
      'lib/capture/page runs where a DOM is: the offscreen document, the Firefox sidebar and event page.'),
    onlyImports('capture-worker', CAPTURE_WORKER, [CORE, PROTOCOL, MESSAGING],
      'lib/capture/worker runs in a dedicated Worker.'),
    onlyImports('live-client', LIVE, [CORE, PROTOCOL, MESSAGING],
      'lib/live is the Live API client where a page runs it (microphone worklet, player, socket): offscreen document or sidebar.'),
    onlyImports('panel-logic', PANEL, [CORE, PROTOCOL, MESSAGING, STORAGE, TRANSPORT, I18N],
      'lib/panel is the side panel\'s client, view model and hooks.'),
    onlyImports('components-are-ui', COMPONENTS, [CORE, PROTOCOL, PANEL, STORAGE, I18N],
      'components/ render; they reach the service worker through lib/panel.'),
    {
      name: 'background-entry-has-no-ui',
      comment: 'The background never imports the panel, components, page-only capture code or the Live client (microphone, audio: page APIs).',
      severity: 'error',
      from: { path: '^entrypoints/background/' },
      to: { path: [PANEL, COMPONENTS, CAPTURE_PAGE, CAPTURE_WORKER, LIVE, '^entrypoints/(?!background/)'] },
    },
    {
      name: 'offscreen-entry',
      comment: 'The offscreen document runs captures and the Live conversation (lib/live).',
      severity: 'error',
      from: { path: '^entrypoints/offscreen/' },
      to: { path: [PANEL, COMPONENTS, CONVERSATION, STORAGE, TRANSPORT, CAPTURE_BACKGROUND] },
    },
    {
      name: 'sidepanel-entry',
      comment: "The side panel mounts components; in Firefox it also hosts captures (lib/capture/page).",
      severity: 'error',
      from: { path: '^entrypoints/sidepanel/' },
      to: { path: [CONVERSATION, CAPTURE_BACKGROUND, '^entrypoints/(?!sidepanel/)'] },
    },
    {
      name: 'lib-never-imports-entrypoints-or-components',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: ['^entrypoints/', COMPONENTS] },
    },
    {
      name: 'extension-has-no-node',
      comment: 'Extension code runs in browsers: no Node built-ins.',
      severity: 'error',
      from: { path: EXTENSION },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'extension-and-proxy-apart',
      comment: 'The extension and the proxy ship separately; neither imports the other.',
      severity: 'error',
      from: { path: EXTENSION },
      to: { path: '^proxy/' },
    },
    {
      name: 'proxy-apart',
      severity: 'error',
      from: { path: '^proxy/' },
      to: { path: ['^lib/', '^components/', '^entrypoints/', '^tests/'] },
    },
    {
      name: 'proxy-is-web-standard',
      comment: 'The proxy is one web-standard handler: Node built-ins only in its Node adapter (node*.ts, *-node.ts).',
      severity: 'error',
      from: { path: '^proxy/', pathNot: '^proxy/(node[^/]*|[^/]*-node)[.]ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-test-code-in-product',
      severity: 'error',
      from: { path: ['^lib/', '^components/', '^entrypoints/', '^proxy/'] },
      to: { path: ['^tests/', '^bench/'] },
    },
    { name: 'no-cycles', severity: 'error', from: { path: EXTENSION }, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^[.]output', '^[.]wxt', '^[.]cache'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'], exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
};
