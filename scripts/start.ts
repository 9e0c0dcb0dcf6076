/**
 * `npm start`: the product in one command. Builds the extension pointed at a local proxy, starts the
 * proxy (Gemini key from the environment or .env), and opens Chromium with Sightline loaded.
 *   GEMINI_API_KEY   required (Google AI Studio -> Get API key)
 *   PROXY_TOKENS     optional here: without it a token is made for this run and built into the dev extension
 *   SIGHTLINE_NO_BROWSER=1  build and run the proxy only (load .output/chrome-mv3 into your own Chrome)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadProxyConfig, readEnv, startNodeProxy } from '../proxy/node.ts';
import { randomToken } from '../proxy/config.ts';
import { CHROMIUM, ensureBrowsers } from './ensure-browsers.ts';

const env = readEnv();
const token = env.PROXY_TOKENS?.split(',')[0]?.trim() || randomToken();
let config;
try {
  config = loadProxyConfig({ ...env, PROXY_TOKENS: env.PROXY_TOKENS || token });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`Sightline cannot start: ${err.message}`);
  process.exit(1);
}

const withBrowser = env.SIGHTLINE_NO_BROWSER !== '1';
// No display (a server, CI): Chromium runs under a virtual one (xvfb) so the product still starts.
const noDisplay = !env.DISPLAY && !env.WAYLAND_DISPLAY;
if (withBrowser) ensureBrowsers(noDisplay ? [['/usr/bin/xvfb-run', 'xvfb']] : []);

const proxy = await startNodeProxy(config);
console.log(`Proxy: ${proxy.url} (forwarding to ${config.geminiBaseUrl})`);

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
