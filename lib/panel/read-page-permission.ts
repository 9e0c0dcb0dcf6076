/**
 * Reading the shared page's text (the model's read_page) needs the optional "scripting" permission, which the
 * browser grants only from a user action in a visible page: the panel asks, on the person's click, the first
 * time a turn says it was needed (a notice of kind 'read-page-permission'). MDN, permissions.request():
 * "The request can only be made inside the handler for a user action."
 */
import { browser, type Browser } from 'wxt/browser';

const READ_PAGES: Browser.permissions.Permissions = { permissions: ['scripting'] };

/** Whether reading pages is allowed already. */
export async function canReadPages(): Promise<boolean> {
  return browser.permissions.contains(READ_PAGES).catch(() => false);
}

/** Asks the browser to allow reading pages; call from a click handler. True when it was granted. */
export async function allowReadingPages(): Promise<boolean> {
  return browser.permissions.request(READ_PAGES).catch(() => false);
}
