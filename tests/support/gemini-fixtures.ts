/** The recorded Gemini response shapes in tests/fixtures/gemini/*.json, by file name (without .json). Tests only. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeminiFixture } from './fake-gemini-replay.ts';

export const FIXTURE_DIR = join(import.meta.dirname, '../fixtures/gemini');

export function geminiFixture(name: string): GeminiFixture {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as GeminiFixture;
}

export function geminiFixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}
