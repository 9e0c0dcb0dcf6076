// Validates a request body as JSON with a top-level "contents" array, straight from the bytes.
// Why not JSON.parse: a frame request is ~1.5 MB of base64 text; decoding it to a string and parsing it
// costs several ms of CPU and two large allocations per request, which the proxy would then throw away
// (the body is forwarded as received). This scanner accepts exactly what JSON.parse(TextDecoder(bytes))
// accepts (property-tested against it in tests/proxy/json-check.test.ts) and allocates nothing.

export type BodyCheck = { ok: true } | { ok: false; message: string };

const QUOTE = 0x22, BACKSLASH = 0x5c, MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39;
const MAX_DEPTH = 1000;
const CONTENTS = [0x63, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x73]; // "contents"

class Invalid extends Error {}

const isWs = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isDigit = (b: number) => b >= ZERO && b <= NINE;
const isHex = (b: number) => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

class Scanner {
  private b: Uint8Array;
  i = 0;
  constructor(bytes: Uint8Array) { this.b = bytes; }

  fail(what: string): never {
    throw new Invalid(this.i >= this.b.length ? `unexpected end of input (${what})` : `${what} at byte ${this.i}`);
  }

  private words: Uint32Array | null = null;
  private wordBase = 0; // byte index in `b` of words[0]

  /**
   * From byte `i`, skips whole aligned 32-bit words holding no '"', no '\\' and no control byte
   * (SWAR tests, exact for "any byte"), and returns where byte-wise scanning must resume.
   */
  private skipPlainWords(i: number): number {
    const b = this.b;
    if (b.length - i < 64) return i;
    if (!this.words) {
      const first = (4 - (b.byteOffset % 4)) % 4;
      this.wordBase = first;
      this.words = new Uint32Array(b.buffer, b.byteOffset + first, Math.floor((b.length - first) / 4));
    }
    const words = this.words;
    let w = Math.ceil((i - this.wordBase) / 4);
    // Resume byte-wise only up to the first word boundary.
    for (let k = i; k < this.wordBase + w * 4; k++) {
      const c = b[k]!;
      if (c === QUOTE || c === BACKSLASH || c < 0x20) return k;
    }
    for (; w < words.length; w++) {
      const x = words[w]!;
      const q = x ^ 0x22222222;
      const s = x ^ 0x5c5c5c5c;
      if ((((x - 0x20202020) & ~x) | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) break;
    }
    return this.wordBase + w * 4;
  }

  ws(): void { while (this.i < this.b.length && isWs(this.b[this.i]!)) this.i++; }

  /** Skips a string; returns true when its raw bytes (no escapes) are exactly "contents". */
  string(): boolean {
    const b = this.b;
    const start = ++this.i; // past the opening quote
    let escaped = false;
    for (;;) {
      // The hot path for megabytes of base64: skip plain bytes four at a time, then find the stop byte.
      const n = b.length;
      let i = this.skipPlainWords(this.i);
      let c = 0;
      while (i < n) {
        c = b[i]!;
        if (c === QUOTE || c === BACKSLASH || c < 0x20) break;
        i++;
      }
      this.i = i;
      if (i >= n) this.fail('unterminated string');
      if (c === QUOTE) break;
      if (c < 0x20) this.fail('control character in string');
      escaped = true;
      const e = b[i + 1];
      if (e === 0x75) { // \uXXXX
        for (let k = 2; k < 6; k++) if (!isHex(b[i + k] ?? 0)) { this.i = i + k; this.fail('bad \\u escape'); }
        this.i = i + 6;
      } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        this.i = i + 2;
      } else {
        this.i = i + 1;
        this.fail('bad escape');
      }
    }
    const end = this.i++;
    if (escaped) return isContentsEscaped(b.subarray(start - 1, end + 1));
    if (end - start !== CONTENTS.length) return false;
    for (let k = 0; k < CONTENTS.length; k++) if (b[start + k] !== CONTENTS[k]) return false;
    return true;
  }

  number(): void {
    const b = this.b;
    if (b[this.i] === MINUS) this.i++;
    if (b[this.i] === ZERO) this.i++;
    else if (isDigit(b[this.i] ?? 0)) while (isDigit(b[this.i] ?? 0)) this.i++;
    else this.fail('bad number');
    if (b[this.i] === DOT) {
      this.i++;
      if (!isDigit(b[this.i] ?? 0)) this.fail('bad number');
      while (isDigit(b[this.i] ?? 0)) this.i++;
    }
    if (b[this.i] === 0x65 || b[this.i] === 0x45) {
      this.i++;
      if (b[this.i] === PLUS || b[this.i] === MINUS) this.i++;
      if (!isDigit(b[this.i] ?? 0)) this.fail('bad number');
      while (isDigit(b[this.i] ?? 0)) this.i++;
    }
  }

  literal(word: string): void {
    for (let k = 0; k < word.length; k++) if (this.b[this.i + k] !== word.charCodeAt(k)) this.fail('unexpected token');
    this.i += word.length;
  }

  /** Skips one value; returns its kind ('array', 'object' or 'other'). */
  value(depth: number, onKey?: (isContents: boolean, kind: string) => void): string {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    this.ws();
    const c = this.b[this.i];
    if (c === 0x7b) { this.container(0x7d, depth, true, onKey); return 'object'; }
    if (c === 0x5b) { this.container(0x5d, depth, false); return 'array'; }
    if (c === QUOTE) { this.string(); return 'other'; }
    if (c === 0x74) this.literal('true');
    else if (c === 0x66) this.literal('false');
    else if (c === 0x6e) this.literal('null');
    else if (c === MINUS || isDigit(c ?? -1)) this.number();
    else this.fail('unexpected token');
    return 'other';
  }

  private container(close: number, depth: number, isObject: boolean, onKey?: (isContents: boolean, kind: string) => void): void {
    this.i++;
    this.ws();
    if (this.b[this.i] === close) { this.i++; return; }
    for (;;) {
      if (isObject) {
        this.ws();
        if (this.b[this.i] !== QUOTE) this.fail('expected a quoted key');
        const isContents = this.string();
        this.ws();
        if (this.b[this.i] !== 0x3a) this.fail('expected ":"');
        this.i++;
        const kind = this.value(depth + 1);
        onKey?.(isContents, kind);
      } else {
        this.value(depth + 1);
      }
      this.ws();
      const c = this.b[this.i];
      if (c === 0x2c) { this.i++; continue; }
      if (c === close) { this.i++; return; }
      this.fail(isObject ? 'expected "," or "}"' : 'expected "," or "]"');
    }
  }
}

/** A key written with escapes (rare): let JSON.parse decide what it spells. */
function isContentsEscaped(quoted: Uint8Array): boolean {
  try { return JSON.parse(new TextDecoder().decode(quoted)) === 'contents'; } catch { return false; }
}

export function checkGenerateBody(bytes: Uint8Array): BodyCheck {
  const s = new Scanner(bytes);
  // TextDecoder drops a leading UTF-8 BOM before JSON.parse sees the text; so do we.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) s.i = 3;
  let contentsKind: string | undefined; // JSON.parse keeps the last duplicate key
  let top: string;
  try {
    top = s.value(0, (isContents, kind) => { if (isContents) contentsKind = kind; });
    s.ws();
    if (s.i < bytes.length) s.fail('unexpected data after the JSON value');
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, message: `The request body is not valid JSON: ${err.message}.` };
    throw err;
  }
  if (top !== 'object' || contentsKind !== 'array') {
    return { ok: false, message: 'The request body needs a "contents" array (the conversation turns), as in Gemini\'s generateContent API.' };
  }
  return { ok: true };
}
