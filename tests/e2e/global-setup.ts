/** Builds the Chrome and Firefox extensions once for the end-to-end tests, and makes sure the browsers are there. */
import { execFileSync } from 'node:child_process';
import { ensureBrowsers, TEST_AUDIO } from '../../scripts/ensure-browsers.ts';
import { TEST_OUT_DIR } from '../support/chromium.ts';

export default function setup(): void {
  ensureBrowsers(TEST_AUDIO);
  // A development build (stable id from the dev key); no proxy settings baked in: tests set them like a user.
  const env = { ...process.env, SIGHTLINE_PROXY_URL: '', SIGHTLINE_PROXY_TOKEN: '', SIGHTLINE_STORE: '', SIGHTLINE_OUT_DIR: TEST_OUT_DIR };
  execFileSync('npx', ['wxt', 'build'], { stdio: 'inherit', env });
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { stdio: 'inherit', env });
}
