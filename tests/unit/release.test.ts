import { describe, expect, it } from 'vitest';
import { bumpVersion, releaseChangelog } from '../../scripts/release-notes.ts';

describe('release: the next version', () => {
  it.each([
    ['0.1.0', 'patch', '0.1.1'],
    ['0.1.9', 'minor', '0.2.0'],
    ['0.9.3', 'major', '1.0.0'],
    ['0.1.0', '0.3.0', '0.3.0'],
  ])('%s bumped by %s is %s', (current, kind, next) => {
    expect(bumpVersion(current, kind)).toBe(next);
  });

  it('refuses a version that is not above the current one, or not a version', () => {
    expect(() => bumpVersion('0.2.0', '0.1.5')).toThrow('not above the current version 0.2.0');
    expect(() => bumpVersion('0.2.0', 'next')).toThrow('"next" is not a version');
  });
});

describe('release: CHANGELOG.md', () => {
  const text = '# Changelog\n\n## Unreleased\n\n- Live mode.\n\n## 0.1.0 — 2026-11-01\n\n- First.\n';

  it('dates what was unreleased and opens a new empty Unreleased section', () => {
    expect(releaseChangelog(text, '0.2.0', '2026-11-29')).toBe(
      '# Changelog\n\n## Unreleased\n\n## 0.2.0 — 2026-11-29\n\n- Live mode.\n\n## 0.1.0 — 2026-11-01\n\n- First.\n',
    );
  });

  it('refuses a release with nothing to say', () => {
    expect(() => releaseChangelog('# Changelog\n\n## Unreleased\n\n## 0.1.0 — x\n- a\n', '0.2.0', 'd')).toThrow('Nothing under');
    expect(() => releaseChangelog('# Changelog\n', '0.2.0', 'd')).toThrow('no "## Unreleased"');
  });
});
