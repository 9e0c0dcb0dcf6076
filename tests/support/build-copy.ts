/**
 * A private copy of the built Chrome extension for one test file. Other test runs rebuild
 * `.output/test/chrome-mv3` in place (their global setup), and a browser still loading pages from it then
 * finds hashed chunks gone ("Page failed to load"). The copy keeps the id (it comes from the manifest key).
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROME_BUILD } from './chromium.ts';

export function copyChromeBuild(): { dir: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'sightline-build-'));
  const dir = join(root, 'chrome-mv3');
  cpSync(CHROME_BUILD, dir, { recursive: true });
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`copy of ${CHROME_BUILD} has no manifest`);
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}
