/** Unit-test setup (vitest.config.ts): the panel's strings in English, as in the e2e tests' Chromium. */
import { useLocale } from '../support/i18n-messages.ts';

useLocale('en');
