/** `web-ext lint` on the development Firefox build: no errors, only the accepted warnings (tests/support/web-ext-lint.ts). */
import { describe, expect, it } from 'vitest';
import { FIREFOX_BUILD } from '../support/firefox.ts';
import { lintFirefoxBuild } from '../support/web-ext-lint.ts';

describe('web-ext lint on the Firefox build', () => {
  it('reports no errors and only accepted warnings', async () => {
    const { errors, warnings } = await lintFirefoxBuild(FIREFOX_BUILD);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
