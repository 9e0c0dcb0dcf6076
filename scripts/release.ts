/**
 * `npm run release -- patch|minor|major|X.Y.Z`: bumps the version (package.json is its one place: WXT writes it
 * into both manifests), dates the "Unreleased" section of CHANGELOG.md, builds and checks the three store
 * archives (scripts/zip.ts), then commits "Release X.Y.Z" and tags vX.Y.Z. It publishes nothing: upload the
 * archives in .output/store/ to the stores and push the tag yourself.
 * Refuses to run on a tree with uncommitted changes, or with nothing under "Unreleased".
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bumpVersion, releaseChangelog } from './release-notes.ts';
import { buildStoreZips, STORE_DIR } from './zip.ts';
import { checkStoreZips } from './store-checks.ts';

const ROOT = resolve(import.meta.dirname, '..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

function fail(message: string): never {
  console.error(`release: ${message}`);
  process.exit(1);
}

const kind = process.argv[2];
if (!kind) fail('say how to bump: npm run release -- patch | minor | major | 1.2.3');
if (git('status', '--porcelain')) fail('commit or stash your changes first: a release is built from a clean tree.');

const pkgPath = join(ROOT, 'package.json');
const current = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
const version = bumpVersion(current, kind);
const changelogPath = join(ROOT, 'CHANGELOG.md');
const changelog = releaseChangelog(readFileSync(changelogPath, 'utf8'), version, new Date().toISOString().slice(0, 10));

execFileSync('npm', ['version', version, '--no-git-tag-version'], { cwd: ROOT, stdio: 'ignore' });
writeFileSync(changelogPath, changelog);
try {
  const zips = buildStoreZips({ dirty: true });
  const report = await checkStoreZips(zips);
  for (const line of report.lines) console.log(line);
  if (report.problems.length) throw new Error(`store checks failed:\n- ${report.problems.join('\n- ')}`);
} catch (err) {
  git('checkout', '--', 'package.json', 'package-lock.json', 'CHANGELOG.md');
  fail(`${(err as Error).message}\nNothing was committed; the version is back to ${current}.`);
}
git('commit', '-q', '-am', `Release ${version}`);
git('tag', '-a', `v${version}`, '-m', `Sightline ${version}`);
console.log(`\nReleased ${version}: commit and tag v${version}. Store archives in ${STORE_DIR}. Nothing was published.`);
