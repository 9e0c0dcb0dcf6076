/** Pure steps of `npm run release` (scripts/release.ts): the next version, and CHANGELOG.md with it dated. */

/**
 * The version after `current` for a bump `kind` ('patch' | 'minor' | 'major') or an explicit 'X.Y.Z' above it.
 * @throws Error with a sentence when `kind` is neither, or an explicit version is not above `current`.
 */
export function bumpVersion(current: string, kind: string): string {
  const parse = (v: string) => {
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
    if (!m) throw new Error(`"${v}" is not a version like 1.2.3.`);
    return [Number(m[1]), Number(m[2]), Number(m[3])] as const;
  };
  const [major, minor, patch] = parse(current);
  if (kind === 'patch') return `${major}.${minor}.${patch + 1}`;
  if (kind === 'minor') return `${major}.${minor + 1}.0`;
  if (kind === 'major') return `${major + 1}.0.0`;
  const next = parse(kind);
  const above = next[0] !== major ? next[0] > major : next[1] !== minor ? next[1] > minor : next[2] > patch;
  if (!above) throw new Error(`${kind} is not above the current version ${current}.`);
  return kind;
}

const UNRELEASED = /^## Unreleased[ \t]*\n/m;

/**
 * CHANGELOG.md with its "## Unreleased" section renamed "## <version> — <date>" and a new empty "Unreleased"
 * above it (Keep a Changelog's layout).
 * @throws Error when there is no "## Unreleased" heading or nothing under it.
 */
export function releaseChangelog(text: string, version: string, date: string): string {
  const start = text.search(UNRELEASED);
  if (start < 0) throw new Error('CHANGELOG.md has no "## Unreleased" section.');
  const afterHeading = text.indexOf('\n', start) + 1;
  const next = text.slice(afterHeading).search(/^## /m);
  const body = next < 0 ? text.slice(afterHeading) : text.slice(afterHeading, afterHeading + next);
  if (!body.trim()) throw new Error('Nothing under "## Unreleased" in CHANGELOG.md: say what this release changes first.');
  return `${text.slice(0, start)}## Unreleased\n\n## ${version} — ${date}\n${text.slice(afterHeading)}`;
}
