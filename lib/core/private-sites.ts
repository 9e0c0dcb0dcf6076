/**
 * Sites on which sharing pauses by itself (docs/decisions/0006-private-sites.md), and which key a site's hidden regions are kept
 * under. Pure.
 *
 * A pattern is a hostname ("chase.com" also covers "www.chase.com" and "secure.chase.com") or a glob with
 * `*` ("*bank*" covers any hostname containing "bank").
 */
import type { SourceKind } from './types.ts';

/** A starting list the user edits in Settings: common banking, payment and patient-portal hosts. */
export const DEFAULT_PRIVATE_SITES: string[] = ['*bank*', 'paypal.com', 'chase.com', 'wellsfargo.com', '*mychart*', 'healthcare.gov'];

/** Lower-cased, trimmed, de-duplicated patterns; a pasted URL keeps only its hostname. */
export function normalizeSitePatterns(input: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const item of input) {
    let p = String(item ?? '').trim().toLowerCase();
    if (!p) continue;
    const url = /^[a-z]+:\/\//.test(p) ? p.replace(/^[a-z]+:\/\//, '') : p;
    p = url.split(/[/?#]/)[0]!.replace(/:\d+$/, '').replace(/\.$/, '');
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

/** Parses the Settings text box: one pattern per line (commas work too). */
export function parseSiteList(text: string): string[] {
  return normalizeSitePatterns(text.split(/[\n,]/));
}

function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

/** The first pattern that covers the hostname, or undefined. */
export function matchPrivateSite(hostname: string | undefined, patterns: readonly string[]): string | undefined {
  const host = hostname?.toLowerCase().replace(/\.$/, '');
  if (!host) return undefined;
  return patterns.find((p) => (p.includes('*') ? globToRegExp(p).test(host) : host === p || host.endsWith(`.${p}`)));
}

/** Hostname of a page address, or undefined for pages without one (about:blank, data:...). */
export function hostnameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** Key of the hidden regions of a share: the tab's hostname; camera and screen each have their own. */
export function siteKeyFor(source: SourceKind, hostname?: string): string {
  if (source !== 'tab') return source;
  return hostname ? hostname.toLowerCase() : 'tab';
}
