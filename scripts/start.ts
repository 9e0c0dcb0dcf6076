/**
 * `npm start`: the product in one command. Builds the extension pointed at a local proxy, starts the
 * proxy (Gemini key from the environment or .env), and opens Chromium with Sightline loaded.
 *   GEMINI_API_KEY   required (Google AI Studio -> Get API key)
 *   PROXY_TOKENS     optional here: without it a token is made once, kept in .cache/proxy-token (so Settings saved
 *                    with it keep working on the next run) and built into the dev extension; it is printed
 *   SIGHTLINE_NO_BROWSER=1  build and run the proxy only (load .output/chrome-mv3 into your own Chrome)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadProxyConfig, readEnv, startNodeProxy } from '../proxy/node.ts';
import { DEFAULT_ORIGINS, randomToken } from '../proxy/config.ts';
import { CHROMIUM, ensureBrowsers } from './ensure-browsers.ts';

/**
 * The access token of `npm start` without PROXY_TOKENS: made once and kept in .cache/proxy-token, because Settings
 * saves the token it was built with into the browser profile (.cache/chromium-profile); a new token every run
 * would lock that profile out ("The proxy refused the access token").
 */
function keptToken(): string {
  const file = resolve('.cache/proxy-token');
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (kept) return kept;
  const made = randomToken();
  mkdirSync(resolve('.cache'), { recursive: true });
  writeFileSync(file, `${made}\n`, { mode: 0o600 });
  return made;
}

const env = readEnv();
const token = env.PROXY_TOKENS?.split(',')[0]?.trim() || keptToken();
// Firefox gives every installation its own moz-extension://<random UUID> origin: allow the scheme here (the
// access token is what admits a client); Chrome's development build has a fixed id (DEFAULT_ORIGINS).
const origins = env.PROXY_ALLOWED_ORIGINS ?? [...DEFAULT_ORIGINS, 'moz-extension://*'].join(',');
let config;
let proxy;
try {
  config = loadProxyConfig({ ...env, PROXY_TOKENS: env.PROXY_TOKENS || token, PROXY_ALLOWED_ORIGINS: origins });
  proxy = await startNodeProxy(config);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`Sightline cannot start: ${err.message}`);
  process.exit(1);
}

const withBrowser = env.SIGHTLINE_NO_BROWSER !== '1';
// No display (a server, CI): Chromium runs under a virtual one (xvfb) so the product still starts.
const noDisplay = !env.DISPLAY && !env.WAYLAND_DISPLAY;
if (withBrowser) ensureBrowsers(noDisplay ? [['/usr/bin/xvfb-run', 'xvfb']] : [], [[CHROMIUM, 'chromium']]);

console.log(`Proxy: ${proxy.url} (forwarding to ${config.geminiBaseUrl})`);
console.log(`Access token: ${token}  (${env.PROXY_TOKENS ? 'the first of PROXY_TOKENS' : 'kept in .cache/proxy-token'}; enter it with the proxy URL in Settings of a Firefox or your own Chrome build)`);

console.log('Building the extension…');
execFileSync('npx', ['wxt', 'build'], {
  stdio: 'inherit',
  env: { ...process.env, SIGHTLINE_PROXY_URL: proxy.url, SIGHTLINE_PROXY_TOKEN: token, SIGHTLINE_STORE: '' },
});
const extensionDir = resolve('.output/chrome-mv3');

const shutdown = async (code = 0) => {
  await proxy.close(config.drainSeconds);
  process.exit(code);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

// Again after the build's own output, which pushed the first lines out of view.
console.log(`\nProxy: ${proxy.url}   Access token: ${token}`);
if (!withBrowser) {
  console.log(`Load ${extensionDir} as an unpacked extension (chrome://extensions, Developer mode). Ctrl+C stops the proxy.`);
} else {
  const profile = resolve('.cache/chromium-profile');
  mkdirSync(profile, { recursive: true });
  const args = [
    `--user-data-dir=${profile}`,
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--no-first-run',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    'about:blank',
  ];
  const [cmd, cmdArgs] = noDisplay && existsSync('/usr/bin/xvfb-run') ? ['xvfb-run', ['-a', CHROMIUM, ...args]] : [CHROMIUM, args];
  if (noDisplay) console.log('No display found: Chromium runs under a virtual display (xvfb).');
  console.log('Chromium opens with Sightline: click its toolbar button on a tab, accept the notice, share, ask.');
  const browser = spawn(cmd, cmdArgs as string[], { stdio: 'ignore' });
  browser.on('exit', () => void shutdown());
}
