// The byte-level JSON scan behind the request check's quick path: whatever it accepts, JSON.parse (after a
// fatal UTF-8 decode) accepts with the same top-level keys; the long-string fast path (four bytes at a time)
// finds a bad byte at any offset and alignment.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanTopLevel } from '../../proxy/json-scan.ts';

const enc = new TextEncoder();
const strictParse = (b: Uint8Array): unknown => {
  try { return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b)); } catch { return undefined; }
};
/** The same bytes at each of the four alignments of a Uint32Array view. */
const aligned = (b: Uint8Array): Uint8Array[] => [0, 1, 2, 3].map((off) => {
  const buf = new Uint8Array(b.length + off);
  buf.set(b, off);
  return buf.subarray(off);
});

function agrees(b: Uint8Array): void {
  for (const view of aligned(b)) {
    const top = scanTopLevel(view);
    if (!top) continue;
    const parsed = strictParse(view);
    expect(parsed, new TextDecoder().decode(view)).toBeTypeOf('object');
    expect(Object.keys(parsed as object).sort()).toEqual([...top.keys].sort()); // integer-like keys come first in JS
  }
}

describe('scanTopLevel', () => {
  it('accepts nothing JSON.parse refuses, and reads the keys JSON.parse reads', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), (text) => agrees(enc.encode(text))), { numRuns: 1000 });
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), fc.constantFrom(0, 2), (obj, space) => {
      const b = enc.encode(JSON.stringify(obj, null, space));
      agrees(b);
      const plain = Object.keys(obj).every((k) => /^[\x20-\x7f]*$/.test(k) && !k.includes('\\') && !k.includes('"'));
      if (plain) expect(scanTopLevel(b)?.keys.sort()).toEqual(Object.keys(obj).sort());
    }), { numRuns: 1000 });
    // Corrupted JSON: one byte flipped, cut or inserted anywhere.
    fc.assert(fc.property(fc.json({ maxDepth: 3 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert'), (text, at, byte, how) => {
      const good = enc.encode(`{"contents":${text},"x":"${'A'.repeat(at % 40)}"}`);
      const i = at % good.length;
      const bad = how === 'cut' ? good.slice(0, i)
        : how === 'flip' ? Uint8Array.from(good, (b, k) => (k === i ? byte : b))
        : Uint8Array.from([...good.subarray(0, i), byte, ...good.subarray(i)]);
      agrees(bad);
    }), { numRuns: 3000 });
  });

  it('finds a bad byte anywhere in a long string, at every alignment', () => {
    const base = `{"contents":[{"parts":[{"inlineData":{"data":"${'QUJD'.repeat(64)}"}}]}]}`;
    const start = base.indexOf('QUJD');
    const good = enc.encode(base);
    for (const view of aligned(good)) expect(scanTopLevel(view)?.keys).toEqual(['contents']);
    const bads = [[0x00], [0x0a], [0x1f], [0x80], [0xff], [0xc3], [0xed, 0xa0, 0x80], [0x5c, 0x78], [0x22]];
    for (let at = start; at < start + 24; at++) {
      for (const bad of bads) {
        const b = Uint8Array.from([...good.subarray(0, at), ...bad, ...good.subarray(at)]);
        for (const view of aligned(b)) expect(scanTopLevel(view), `${bad} at ${at}`).toBeNull();
      }
      // Valid escapes and UTF-8 in the middle of the fast path pass.
      for (const ok of ['\\"', '\\\\', '\\u00e9', 'é', '€', '😀']) {
        const b = Uint8Array.from([...good.subarray(0, at), ...enc.encode(ok), ...good.subarray(at)]);
        for (const view of aligned(b)) expect(scanTopLevel(view)?.keys).toEqual(['contents']);
      }
    }
  });

  it('leaves to JSON.parse what it does not read cheaply, and never throws', () => {
    for (const text of ['\ufeff{"a":1}', '{"a\\u0062":1}', '{"é":1}', '{"a":1,"a":2}', '[]', '1', '', ' ', '{"a":1}x', '{"a":01}', '{"a":1.}', '{"a":-}', '{"a":tru}', '{"a":[1,]}', '{"a":{"b":1,}}']) {
      expect(scanTopLevel(enc.encode(text)), text).toBeNull();
    }
    expect(scanTopLevel(enc.encode('{"a":' + '['.repeat(100000) + ']'.repeat(100000) + '}'))?.keys).toEqual(['a']);
    expect(scanTopLevel(enc.encode(' {"a" : [ 1e+5 , -0.5E-3, true, false, null, {}, [] , "x"] } \n'))?.keys).toEqual(['a']);
  });
});
