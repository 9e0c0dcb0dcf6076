/**
 * Makes sure the browsers the tests and `npm start` drive are installed: Debian's `chromium` and
 * `firefox-esr` (npm cannot bring them, and nothing may download a browser build of its own); for the tests also
 * `pulseaudio` (TEST_AUDIO): Firefox runs no AudioContext without an audio output, so its Live test gives it a
 * null sink (tests/support/firefox.ts `nullAudio`).
 * As root it installs what is missing with apt-get; otherwise it says exactly what to install.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
export const FIREFOX = process.env.SIGHTLINE_FIREFOX ?? '/usr/bin/firefox-esr';

const wanted: Array<[string, string]> = [
  [CHROMIUM, 'chromium'],
  [FIREFOX, 'firefox-esr'],
];

/** For the tests only: Firefox's Live test gives Firefox a null audio output through PulseAudio. */
export const TEST_AUDIO: Array<[string, string]> = [['/usr/bin/pulseaudio', 'pulseaudio']];

/**
 * Installs Debian packages whose binary is missing (as root), or says how to. `browsers` defaults to both;
 * `npm start` asks for Chromium only (it opens no Firefox).
 */
export function ensureBrowsers(extra: Array<[string, string]> = [], browsers: Array<[string, string]> = wanted): void {
  const missing = [...browsers, ...extra].filter(([bin]) => !existsSync(bin)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`Sightline needs Debian's ${missing.join(' and ')}: run  sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} with apt-get (once)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureBrowsers(process.argv.includes('--test') ? TEST_AUDIO : []);
