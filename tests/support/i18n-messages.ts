/**
 * The panel's messages in unit tests. WXT's fake browser does not implement `browser.i18n.getMessage` (it
 * throws "not implemented"), and `i18n.t` from `#i18n` calls it; so this loads `locales/<lang>.yml` the way
 * the build does (@wxt-dev/i18n/build: the same messages.json the browser reads) and answers like Chrome:
 * `$1`…`$9` are the substitutions, `$$` is a dollar sign, an unknown key is ''.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateChromeMessages, parseMessagesText } from '@wxt-dev/i18n/build';
import { fakeBrowser } from 'wxt/testing/fake-browser';

export const LOCALES_DIR = join(import.meta.dirname, '..', '..', 'locales');
export type Locale = 'en' | 'de';

/** messages.json as the build writes it for `locale`: flat keys (dots become underscores) → message. */
export function chromeMessages(locale: Locale): Record<string, { message: string }> {
  const text = readFileSync(join(LOCALES_DIR, `${locale}.yml`), 'utf8');
  return generateChromeMessages(parseMessagesText(text, 'YAML')) as Record<string, { message: string }>;
}

/** Chrome's getMessage over one messages.json. */
export function getMessageFrom(messages: Record<string, { message: string }>) {
  return (key: string, substitutions?: string | string[]): string => {
    const message = messages[key]?.message;
    if (message === undefined) return '';
    const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
    return message.replace(/\$(\$|[1-9])/g, (_, c: string) => (c === '$' ? '$' : (subs[Number(c) - 1] ?? '')));
  };
}

/** Makes the fake browser speak `locale` (survives fakeBrowser.reset(): i18n keeps no state there). */
export function useLocale(locale: Locale): void {
  const getMessage = getMessageFrom(chromeMessages(locale));
  (fakeBrowser.i18n as { getMessage: typeof getMessage }).getMessage = getMessage;
  (fakeBrowser.i18n as { getUILanguage: () => string }).getUILanguage = () => locale;
}
