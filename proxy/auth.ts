// Token checks: compare SHA-256 digests in constant time, so neither the token's length nor its
// first differing byte shows in the timing. The digest also keys limits and logs (never the token).

const encoder = new TextEncoder();

/** SHA-256 of `text`'s UTF-8 bytes (Web Crypto), 32 bytes. */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Lower-case hex of `bytes`, two digits a byte. */
export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function equalDigests(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i] ?? 0);
  return diff === 0;
}

/** What the client presented: x-goog-api-key (the SDK's way) or Authorization: Bearer. */
export function presentedToken(headers: Headers): string {
  const key = headers.get('x-goog-api-key');
  if (key) return key.trim();
  const auth = headers.get('authorization') ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(auth);
  return m ? m[1]!.trim() : '';
}

/** Checks presented access tokens against PROXY_TOKENS. */
export interface TokenChecker {
  /** The token's hex digest when it is one of ours, otherwise null. */
  check(token: string): Promise<string | null>;
}

/**
 * A checker for `tokens` (PROXY_TOKENS): digest comparison in constant time, walking every known token;
 * a token proven valid is remembered, so only its first request pays for the digest. Never throws.
 */
export function tokenChecker(tokens: string[]): TokenChecker {
  const known = Promise.all(tokens.map(sha256));
  // Tokens already proven valid skip the digest (an async crypto job per request). A wrong token never
  // lands here, so its check is always the full constant-time one.
  const verified = new Map<string, string>();
  return {
    async check(token) {
      const hit = verified.get(token);
      if (hit) return hit;
      const digest = await sha256(token);
      let match = false;
      // Walk every known token, no early exit.
      for (const k of await known) match = equalDigests(digest, k) || match;
      if (!match) return null;
      const key = hex(digest);
      verified.set(token, key);
      return key;
    },
  };
}
