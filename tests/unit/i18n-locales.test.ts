/**
 * The translations stay in step with English: locales/de.yml has exactly the keys of locales/en.yml, each with
 * the same placeholders ({name} and $1), plural where English is plural, and nothing left empty. (Which keys
 * exist is checked by the compiler: `i18n.t` is typed from en.yml.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMessagesText, type ParsedMessage } from '@wxt-dev/i18n/build';
import { LOCALES_DIR } from '../support/i18n-messages.ts';

const LOCALES = readdirSync(LOCALES_DIR)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => f.replace(/\.yml$/, ''));

/** Messages by key, without the browser's predefined @@ messages. */
function messagesOf(locale: string): Map<string, ParsedMessage> {
  const parsed = parseMessagesText(readFileSync(join(LOCALES_DIR, `${locale}.yml`), 'utf8'), 'YAML');
  return new Map(parsed.filter((m) => !m.key[0]!.startsWith('@@')).map((m) => [m.key.join('.'), m]));
}
const texts = (m: ParsedMessage): string[] => (m.type === 'plural' ? Object.values(m.plurals) : [m.message]);
/** The placeholders a message uses, sorted: {name} and $1..$9 (not $$, an escaped dollar). */
const placeholders = (m: ParsedMessage): string[] =>
  [...new Set(texts(m).join(' ').replace(/\$\$/g, '').match(/\{\w+\}|\$[1-9]/g) ?? [])].sort();

describe('locales', () => {
  const en = messagesOf('en');

  it('English and German are there', () => {
    expect(LOCALES.sort()).toEqual(['de', 'en']);
    expect(en.size).toBeGreaterThan(150);
  });

  it.each(LOCALES.filter((l) => l !== 'en'))('%s has exactly the keys of English', (locale) => {
    const other = messagesOf(locale);
    expect([...other.keys()].filter((k) => !en.has(k))).toEqual([]);
    expect([...en.keys()].filter((k) => !other.has(k))).toEqual([]);
  });

  it.each(LOCALES.filter((l) => l !== 'en'))('%s uses the same placeholders per key, and plurals where English has them', (locale) => {
    const other = messagesOf(locale);
    const differ = [...en].flatMap(([key, m]) => {
      const o = other.get(key);
      if (!o) return [];
      const problems: string[] = [];
      if (placeholders(o).join() !== placeholders(m).join()) problems.push(`${key}: ${placeholders(o).join()} ≠ ${placeholders(m).join()}`);
      if (o.type !== m.type) problems.push(`${key}: ${o.type} ≠ ${m.type}`);
      if (m.type === 'plural' && o.type === 'plural' && Object.keys(o.plurals).join() !== Object.keys(m.plurals).join()) {
        problems.push(`${key}: plural forms ${Object.keys(o.plurals).join()} ≠ ${Object.keys(m.plurals).join()}`);
      }
      return problems;
    });
    expect(differ).toEqual([]);
  });

  it.each(LOCALES)('%s has no empty message, and none a browser would misread', (locale) => {
    const bad = [...messagesOf(locale)].filter(([, m]) =>
      // Empty; a plural separator inside a form (@wxt-dev/i18n joins forms with " | "); a Chrome $name$ placeholder.
      texts(m).some((t) => t.trim() === '' || t.includes(' | ') || /\$[A-Za-z_]\w*\$/.test(t)),
    );
    expect(bad.map(([k]) => k)).toEqual([]);
  });

  it('the English and German manifest name stays the product name', () => {
    expect(en.get('extName')).toMatchObject({ message: 'Sightline' });
    expect(messagesOf('de').get('extName')).toMatchObject({ message: 'Sightline' });
  });
});
