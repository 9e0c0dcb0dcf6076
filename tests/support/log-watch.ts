/**
 * Page-side functions (run with page.evaluate in Playwright or puppeteer) that record every distinct text
 * the conversation log shows: the proof that an answer streamed in piece by piece.
 */
export function installLogWatch(): void {
  const w = window as unknown as { __seen: string[] };
  w.__seen = [];
  const el = document.querySelector('[role=log]')!;
  new MutationObserver(() => {
    const t = el.textContent ?? '';
    if (w.__seen[w.__seen.length - 1] !== t) w.__seen.push(t);
  }).observe(el, { subtree: true, childList: true, characterData: true });
}

export function readLogWatch(): string[] {
  return (window as unknown as { __seen: string[] }).__seen;
}
