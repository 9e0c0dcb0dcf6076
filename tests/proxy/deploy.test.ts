/** `npm run deploy:proxy -- --dry-run`: the Workers bundle builds offline with its bindings, and carries no secret. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('deploy:proxy --dry-run', () => {
  it('bundles the worker with the rate limit and token-budget bindings, and no secret', () => {
    const out = mkdtempSync(join(tmpdir(), 'sightline-wrangler-'));
    try {
      const printed = execFileSync(join(ROOT, 'node_modules', '.bin', 'node'), ['scripts/deploy-proxy.ts', '--dry-run', '--outdir', out], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true', GEMINI_API_KEY: 'should-never-be-bundled' },
      });
      expect(printed).toContain('--dry-run: exiting now.');
      expect(printed).toMatch(/env\.TOKEN_BUDGET \(TokenBudgetObject\)\s+Durable Object/);
      expect(printed).toMatch(/env\.RATE_LIMITER \(60 requests\/60s\)\s+Rate Limit/);
      expect(printed).not.toContain('GEMINI_API_KEY');
      const bundle = readdirSync(out).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
      expect(bundle).toContain('TokenBudgetObject');
      expect(bundle).not.toContain('should-never-be-bundled');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
