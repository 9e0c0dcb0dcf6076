/**
 * `web-ext lint` (Mozilla's add-on linter, offline) on a Firefox build folder: errors, and the warnings not
 * accepted below, each accepted one for a stated reason and pinned to the code it is about.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

interface Accepted {
  code: string;
  file: RegExp;
  /** Text just before the flagged spot: which code the warning is about. */
  near: string;
  reason: string;
}

const ACCEPTED: Accepted[] = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    file: /^chunks\/sidepanel-.*\.js$/,
    near: 'dangerouslySetInnerHTML',
    reason: "Preact's dangerouslySetInnerHTML; the panel passes it only DOMPurify output (components/markdown.ts, hostile-input tests).",
  },
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    file: /^chunks\/sidepanel-.*\.js$/,
    near: 'createDocument',
    reason: "DOMPurify's own parsing, into an inert document it then sanitizes.",
  },
  {
    code: 'DANGEROUS_EVAL',
    file: /^ocr\/worker\.min\.js$/,
    near: 'globalThis.regeneratorRuntime=',
    reason:
      "tesseract.js's prebuilt OCR worker (vendored as published: lib/capture/page/ocr.ts) carries regenerator-runtime, " +
      "whose fallback `Function('r', 'regeneratorRuntime = r')` runs only where globalThis is missing, never in a " +
      "supported browser, and the extension pages' CSP (no 'unsafe-eval') would refuse it anyway. The extension's own " +
      'bundle drops that module (wxt.config.ts, withoutRegeneratorRuntime).',
  },
  {
    code: 'DANGEROUS_EVAL',
    file: /^ocr\/worker\.min\.js$/,
    near: 'if("object"==typeof globalThis)return globalThis;try{return this||',
    reason:
      "The same prebuilt worker's webpack runtime looks for the global object: `new Function('return this')` only when " +
      'globalThis is missing (never in a supported browser; the CSP would refuse it).',
  },
];

function context(dir: string, msg: LintMessage): string {
  if (!msg.file || !msg.line || msg.column === undefined) return '';
  const line = readFileSync(join(dir, msg.file), 'utf8').split('\n')[msg.line - 1] ?? '';
  return line.slice(Math.max(0, msg.column - 400), msg.column + 1);
}

const accepted = (dir: string, msg: LintMessage) =>
  ACCEPTED.some((a) => a.code === msg.code && a.file.test(msg.file ?? '') && context(dir, msg).includes(a.near));


/** Lints `dir`; returns its errors and its unaccepted warnings as "CODE file: message" lines. */
export async function lintFirefoxBuild(dir: string): Promise<{ errors: string[]; warnings: string[] }> {
  const run = promisify(execFile);
  const { stdout } = await run('npx', ['web-ext', 'lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
    maxBuffer: 16 * 1024 * 1024,
  }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' })); // exits 1 on errors; the JSON says which
  const report = JSON.parse(stdout) as { errors: LintMessage[]; warnings: LintMessage[] };
  const describe = (m: LintMessage) => `${m.code} ${m.file ?? ''}: ${m.message}`;
  return { errors: report.errors.map(describe), warnings: report.warnings.filter((w) => !accepted(dir, w)).map(describe) };
}
