/**
 * The release check: `npm run zip`'s three archives, built twice from the committed tree, are byte-identical,
 * pass the store checks (no development key or token, icons, permissions, size budgets), and the Firefox one
 * passes `web-ext lint`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildStoreZips } from '../../scripts/zip.ts';
import { checkStoreZips } from '../../scripts/store-checks.ts';
import { lintFirefoxBuild } from '../support/web-ext-lint.ts';

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('store packages (npm run zip)', () => {
  it('are reproducible, pass the store checks and web-ext lint', async () => {
    const first = buildStoreZips().map((p) => ({ name: basename(p), sha: digest(p) }));
    const paths = buildStoreZips();
    expect(paths.map((p) => ({ name: basename(p), sha: digest(p) }))).toEqual(first);
    expect(paths.map((p) => basename(p).replace(/-[\d.]+-/, '-'))).toEqual(['sightline-chrome.zip', 'sightline-firefox.zip', 'sightline-sources.zip']);

    const report = await checkStoreZips(paths);
    console.log(report.lines.join('\n'));
    expect(report.problems).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'sightline-firefox-zip-'));
    try {
      const zip = await JSZip.loadAsync(readFileSync(paths.find((p) => p.endsWith('-firefox.zip'))!));
      for (const [name, entry] of Object.entries(zip.files)) {
        if (entry.dir) continue;
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), await entry.async('nodebuffer'));
      }
      const { errors, warnings } = await lintFirefoxBuild(dir);
      expect(errors).toEqual([]);
      expect(warnings).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
