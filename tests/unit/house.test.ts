/**
 * The house rules of README "Architecture", checked on the real tree: the layer rules
 * (.dependency-cruiser.cjs), short files, and receivers that check messages instead of casting them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const MAX_LINES = 300;

/** Runs dependency-cruiser on `dirs` from `cwd`; the exit code and what it printed. */
function cruise(cwd: string, dirs: string[]): { code: number; output: string } {
  try {
    const output = execFileSync(DEPCRUISE, [...dirs, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, output };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'lib', 'components', 'entrypoints', 'proxy'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.(ts|tsx)$/.test(f));
}

describe('the house rules', () => {
  it('every import in the extension and the proxy follows the layer rules', () => {
    const { code, output } = cruise(ROOT, ['lib', 'components', 'entrypoints', 'proxy']);
    expect(output).toContain('no dependency violations');
    expect(code).toBe(0);
    // dependency-cruiser over the whole tree takes 3–6 s on two shared cores while the other files run.
  }, 30_000);

  it('a breaking import fails the check (core importing a browser API or another layer)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-layers-'));
    try {
      copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true } }));
      const files: Record<string, string> = {
        'lib/core/history.ts': "import { PANEL_PORT } from '../protocol/messages.ts';\nexport const x = PANEL_PORT;\n",
        'lib/protocol/messages.ts': "export const PANEL_PORT = 'p';\n",
        'components/App.tsx': "import { y } from '../lib/conversation/manager.ts';\nexport const z = y;\n",
        'lib/conversation/manager.ts': "export const y = 1;\n",
        'entrypoints/offscreen/main.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const { code, output } = cruise(dir, ['lib', 'components', 'entrypoints']);
      expect(code).not.toBe(0);
      expect(output).toContain('core-is-pure: lib/core/history.ts → lib/protocol/messages.ts');
      expect(output).toContain('components-are-ui: components/App.tsx → lib/conversation/manager.ts');
      expect(output).toContain('extension-has-no-node: entrypoints/offscreen/main.ts → fs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`no source file is over ${MAX_LINES} lines`, () => {
    const long = sourceFiles()
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f} (${lines})`);
    expect(long).toEqual([]);
  });

  it('no receiver casts a message to a protocol type', () => {
    const cast = /\b\w+ as [A-Z][A-Za-z]*(Command|Event|Message|Reply|Call|Request)\b/;
    const found = sourceFiles()
      .filter((f) => !f.startsWith('proxy/'))
      .flatMap((f) =>
        readFileSync(join(ROOT, f), 'utf8')
          .split('\n')
          .map((line, i) => (cast.test(line) ? `${f}:${i + 1}: ${line.trim()}` : ''))
          .filter(Boolean),
      );
    expect(found).toEqual([]);
  });
});
