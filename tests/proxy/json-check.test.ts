// The proxy's byte-level body check must accept exactly what JSON.parse accepts, and find "contents"
// exactly where JSON.parse would; otherwise it either forwards junk or refuses valid requests.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkGenerateBody } from '../../proxy/json-check.ts';

const enc = new TextEncoder();

/** The reference: what the spec says, done the obvious way. */
function reference(bytes: Uint8Array): { valid: boolean; hasContents: boolean } {
  let value: unknown;
  try { value = JSON.parse(new TextDecoder().decode(bytes)); } catch { return { valid: false, hasContents: false }; }
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  return { valid: true, hasContents: isObject && Array.isArray((value as { contents?: unknown }).contents) };
}

function agrees(bytes: Uint8Array): void {
  const ref = reference(bytes);
  const got = checkGenerateBody(bytes);
  const label = new TextDecoder().decode(bytes);
  expect(got.ok, label).toBe(ref.valid && ref.hasContents);
  if (!got.ok) expect(got.message.includes('not valid JSON'), label).toBe(!ref.valid);
}

/** Bodies shaped like the extension's: contents arrays of text and base64 image parts. */
const requestLike = fc.record({
  contents: fc.array(fc.record({
    role: fc.constantFrom('user', 'model'),
    parts: fc.array(fc.oneof(
      fc.record({ text: fc.string({ unit: 'binary' }) }),
      fc.record({ inlineData: fc.record({ mimeType: fc.constant('image/jpeg'), data: fc.base64String() }) }),
    )),
  })),
  generationConfig: fc.option(fc.record({ temperature: fc.double({ noNaN: true, noDefaultInfinity: true }) }), { nil: undefined }),
});

describe('checkGenerateBody', () => {
  it('agrees with JSON.parse on arbitrary JSON values, re-serialised with odd spacing', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(0, 1, '\t', ' \r\n'), (v, space) => {
      agrees(enc.encode(JSON.stringify(v, null, space as never)));
      agrees(enc.encode(JSON.stringify({ contents: v })));
    }), { numRuns: 500 });
  });

  it('agrees with JSON.parse on request-shaped bodies and on every kind of corruption of them', () => {
    fc.assert(fc.property(requestLike, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert'), (body, at, byte, how) => {
      const good = enc.encode(JSON.stringify(body));
      agrees(good);
      const i = good.length ? at % good.length : 0;
      const bad = how === 'cut' ? good.subarray(0, i)
        : how === 'flip' ? Uint8Array.from(good, (b, k) => (k === i ? byte : b))
        : Uint8Array.from([...good.subarray(0, i), byte, ...good.subarray(i)]);
      agrees(bad);
    }), { numRuns: 2000 });
  });

  it('agrees inside long strings, at every alignment, whatever byte lands there', () => {
    const stopBytes = [0x00, 0x09, 0x0a, 0x1f, 0x20, 0x22, 0x5c, 0x7f, 0x80, 0xc3, 0xff, 0x41];
    fc.assert(fc.property(fc.nat(3), fc.integer({ min: 0, max: 3000 }), fc.constantFrom(...stopBytes), fc.boolean(), (pad, at, byte, escapeNext) => {
      const head = '{"x":' + ' '.repeat(pad) + '{"contents":[]},"contents":["';
      const long = enc.encode(head + 'QUJD'.repeat(800) + '"]}');
      const i = head.length + at;
      const bad = Uint8Array.from(long, (b, k) => (k === i ? byte : k === i + 1 && escapeNext ? 0x6e : b));
      agrees(bad);
      // Same bytes at an odd offset inside a larger buffer (the scanner reads words from the buffer).
      const shifted = new Uint8Array(bad.length + 3);
      shifted.set(bad, pad);
      agrees(shifted.subarray(pad, pad + bad.length));
    }), { numRuns: 1500 });
  });

  it('handles the edge cases JSON.parse cares about', () => {
    const cases = [
      '', ' ', '{}', '[]', 'null', '{"contents":[]}', '\uFEFF{"contents":[]}', '{"contents":{}}',
      '{"contents":[],"contents":1}', '{"contents":1,"contents":[]}', '{"cont\\u0065nts":[]}', '{"contents\\"":[]}',
      '{"a":{"contents":[]}}', '{"contents":[1,]}', '{"contents":[01]}', '{"contents":[-0.5e+7]}', '{"contents":[1.]}',
      '{"contents":["\\x"]}', '{"contents":["\\u12G4"]}', '{"contents":["a\tb"]}', '{"contents":[tru]}',
      '{"contents":[]} x', '{"contents":[]}\n', '{"contents":["\\ud800"]}', `{"contents":${'['.repeat(900)}${']'.repeat(900)}}`,
    ];
    for (const c of cases) agrees(enc.encode(c));
    agrees(Uint8Array.from([0x7b, 0x22, 0x63, 0xff, 0x22, 0x3a, 0x31, 0x7d])); // invalid UTF-8 inside a key
  });
});
