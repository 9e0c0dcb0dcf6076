// CORS for the extension's pages. Only listed origins get CORS headers; a browser request from any
// other origin is refused outright, so a web page cannot spend a leaked token through a user's browser.

/** Request headers the @google/genai SDK sends from a browser. */
const ALLOWED_HEADERS = 'x-goog-api-key, content-type, x-goog-api-client, authorization, x-server-timeout, user-agent';
/** Response headers clients may read: rate-limit hints. */
const EXPOSED_HEADERS = 'retry-after, x-request-id';

/** True when `origin` is listed exactly in `allowed`, or matches a `scheme://*` entry with no path after the host. */
export function originAllowed(origin: string, allowed: string[]): boolean {
  for (const entry of allowed) {
    if (entry === origin) return true;
    // `moz-extension://*`: Firefox gives every install its own UUID, so a store build can only list the scheme.
    if (entry.endsWith('://*') && origin.startsWith(entry.slice(0, -1)) && !origin.slice(entry.length - 1).includes('/')) {
      return true;
    }
  }
  return false;
}

/** CORS headers for an answer to a listed `origin`: that origin, the exposed rate-limit headers, Vary. */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'Origin',
  };
}

/** Headers of a 204 answer to a listed origin's preflight: methods, the SDK's request headers, a 10-minute cache. */
export function preflightHeaders(origin: string): Record<string, string> {
  return {
    ...corsHeaders(origin),
    'access-control-allow-methods': 'POST, GET, OPTIONS',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '600',
  };
}
