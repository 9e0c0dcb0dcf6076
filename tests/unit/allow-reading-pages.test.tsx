// @vitest-environment jsdom
/** The notice that read_page needed the "scripting" permission offers to allow it, on a click. */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { browser } from 'wxt/browser';
import { Notice } from '../../components/Notice.tsx';

function show(kind: 'read-page-permission' | 'capture-ended', onDismiss = () => {}): HTMLElement {
  const root = document.createElement('div');
  render(<Notice error={{ kind, message: 'The model wanted to read the shared page’s text.' }} onDismiss={onDismiss} onOpenSettings={() => {}} />, root);
  return root;
}

const allowButton = (root: HTMLElement) => [...root.querySelectorAll('button')].find((b) => /reading pages|try again/.test(b.textContent ?? ''));

describe('Allow reading pages', () => {
  it('asks the browser for "scripting" on the click, and the notice goes once it is granted', async () => {
    const request = vi.spyOn(browser.permissions, 'request').mockResolvedValue(true as never);
    const onDismiss = vi.fn();
    const root = show('read-page-permission', onDismiss);
    await act(async () => {
      allowButton(root)!.click();
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(request).toHaveBeenCalledWith({ permissions: ['scripting'] });
    expect(onDismiss).toHaveBeenCalled();
    request.mockRestore();
  });

  it('says so when refused, and other notices have no such button', async () => {
    const request = vi.spyOn(browser.permissions, 'request').mockResolvedValue(false as never);
    const root = show('read-page-permission');
    await act(async () => {
      allowButton(root)!.click();
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(allowButton(root)!.textContent).toBe('Not allowed — try again');
    expect(allowButton(show('capture-ended'))).toBeUndefined();
    request.mockRestore();
  });
});
