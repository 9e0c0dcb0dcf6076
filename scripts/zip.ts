/**
 * `npm run zip`: the three store archives — Chrome Web Store, Firefox Add-ons, and the sources zip Firefox
 * Add-ons asks for — built by WXT's zip from a clean copy of the committed tree (`git archive HEAD`), so
 * nothing uncommitted (a `.env` with a key, a local edit) can reach a store, and the same commit gives the same
 * bytes (WXT writes every zip entry with a fixed 1980 date). Store builds (SIGHTLINE_STORE=1) carry no
 * development key, no proxy URL and no token: first-run setup asks for them.
 *
 * Then it checks what it made (lib: scripts/store-checks.ts) and prints each archive's size against its budget.
 *   --dirty   build from the working tree instead (for trying a change before committing; never for a release)
 * Output: .output/store/sightline-<version>-{chrome,firefox,sources}.zip
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkStoreZips } from './store-checks.ts';

const ROOT = resolve(import.meta.dirname, '..');
export const STORE_DIR = join(ROOT, '.output', 'store');

/** Builds the three archives into STORE_DIR; returns their paths. Throws when a build or a check fails. */
export function buildStoreZips(opts: { dirty?: boolean } = {}): string[] {
  const work = mkdtempSync(join(tmpdir(), 'sightline-store-'));
  try {
    if (opts.dirty) {
      cpSync(ROOT, work, { recursive: true, filter: (src) => !/\/(node_modules|\.output|\.git|\.cache|\.env)(\/|$)/.test(src.slice(ROOT.length)) });
    } else {
      const tar = execFileSync('git', ['archive', '--format=tar', 'HEAD'], { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 });
      execFileSync('tar', ['-x', '-C', work], { input: tar });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
    const env = storeBuildEnv(join(work, '.output'));
    const wxt = join(ROOT, 'node_modules', '.bin', 'wxt');
    execFileSync(wxt, ['prepare'], { cwd: work, env, stdio: 'inherit' });
    execFileSync(wxt, ['zip'], { cwd: work, env, stdio: 'inherit' });
    execFileSync(wxt, ['zip', '-b', 'firefox'], { cwd: work, env, stdio: 'inherit' });
    rmSync(STORE_DIR, { recursive: true, force: true });
    mkdirSync(STORE_DIR, { recursive: true });
    const zips = readdirSync(join(work, '.output')).filter((f) => f.endsWith('.zip'));
    for (const z of zips) cpSync(join(work, '.output', z), join(STORE_DIR, z));
    return zips.map((z) => join(STORE_DIR, z)).sort();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The environment of a store build: the caller's, less what could change the bytes or bake a value in — a
 * development proxy URL or token, and a test runner's NODE_ENV/VITEST* (under vitest the bundle came out
 * different on every build: measured, two builds of one commit, two digests).
 */
function storeBuildEnv(outDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|NODE_ENV$|SIGHTLINE_|TEST$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, SIGHTLINE_STORE: '1', SIGHTLINE_OUT_DIR: outDir };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirty = process.argv.includes('--dirty');
  if (!dirty && !existsSync(join(ROOT, '.git'))) throw new Error('npm run zip builds from git HEAD: run it in a clone (or pass --dirty).');
  const zips = buildStoreZips({ dirty });
  const report = await checkStoreZips(zips);
  for (const line of report.lines) console.log(line);
  if (report.problems.length) {
    console.error(`\nStore checks failed:\n- ${report.problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log(`\nStore archives in ${STORE_DIR}${dirty ? ' (from the working tree: not for release)' : ''}`);
}
