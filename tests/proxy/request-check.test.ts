// The request check: JSON.parse plus the zod schema and the operator's policy. What it forwards must be what
// it checked (the same JSON value, plus the output cap it adds), and no input may make it throw.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkModelRequest, type RequestCheck } from '../../proxy/request-check.ts';
import { loadRequestPolicy } from '../../proxy/config.ts';

const enc = new TextEncoder();
const policy = loadRequestPolicy({});
const check = (body: string | Uint8Array<ArrayBuffer>, p = policy): RequestCheck =>
  checkModelRequest(typeof body === 'string' ? enc.encode(body) : body, 'streamGenerateContent', p);
const forwarded = (r: RequestCheck): Record<string, unknown> => {
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return JSON.parse(new TextDecoder().decode(r.body));
};
const refusal = (r: RequestCheck): string => {
  if (r.ok) throw new Error('accepted');
  return r.message;
};

/** Bodies shaped like the extension's: contents of text and base64 image parts, sometimes settings and tools. */
const requestLike = fc.record({
  contents: fc.array(fc.record({
    role: fc.constantFrom('user', 'model'),
    parts: fc.array(fc.oneof(
      fc.record({ text: fc.string({ unit: 'binary' }) }),
      fc.record({ inlineData: fc.record({ mimeType: fc.constant('image/jpeg'), data: fc.base64String() }) }),
    )),
  })),
  systemInstruction: fc.option(fc.record({ parts: fc.constant([{ text: 'be brief' }]) }), { nil: undefined }),
  generationConfig: fc.option(fc.record({
    temperature: fc.double({ noNaN: true, noDefaultInfinity: true }),
    maxOutputTokens: fc.option(fc.integer({ min: 1, max: 8192 }), { nil: undefined }),
  }, { requiredKeys: ['temperature'] }), { nil: undefined }),
  tools: fc.option(fc.constant([{ functionDeclarations: [{ name: 'now' }] }]), { nil: undefined }),
}, { requiredKeys: ['contents'] });

describe('checkModelRequest', () => {
  it('forwards exactly the value it checked, plus the output cap when none was asked for', () => {
    fc.assert(fc.property(requestLike, fc.constantFrom(0, 2), (body, space) => {
      const sent = forwarded(check(JSON.stringify(body, null, space)));
      const expected = JSON.parse(JSON.stringify(body));
      expected.generationConfig = { ...expected.generationConfig, maxOutputTokens: body.generationConfig?.maxOutputTokens ?? 8192 };
      expect(sent).toEqual(expected);
    }), { numRuns: 500 });
  });

  it('never throws, and accepts nothing JSON.parse refuses, whatever the bytes (corrupted requests, any JSON value)', () => {
    const parses = (b: Uint8Array) => { try { JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b)); return true; } catch { return false; } };
    fc.assert(fc.property(requestLike, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert'), (body, at, byte, how) => {
      const good = enc.encode(JSON.stringify(body));
      const i = at % good.length;
      const bad = how === 'cut' ? good.slice(0, i)
        : how === 'flip' ? Uint8Array.from(good, (b, k) => (k === i ? byte : b))
        : Uint8Array.from([...good.subarray(0, i), byte, ...good.subarray(i)]);
      const r = check(bad);
      if (r.ok) expect(parses(bad)).toBe(true);
      else expect(r.message).toMatch(/^[A-Z"].*[.)]$/s);
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const r = check(JSON.stringify(v));
      const isRequest = typeof v === 'object' && v !== null && !Array.isArray(v) && Array.isArray((v as { contents?: unknown }).contents);
      if (!isRequest) expect(r.ok).toBe(false);
    }), { numRuns: 500 });
  });

  it('names the field, the cap and the setting when it refuses', () => {
    const cases: [string, string][] = [
      ['{"contents":{}}', 'The request body needs a "contents" array (the conversation turns), as in Gemini\'s generateContent API.'],
      ['[]', 'The request body must be a JSON object with a "contents" array (the conversation turns), as in Gemini\'s generateContent API.'],
      ['{"contents":[],"tools":[{}, 2]}', 'At tools[1]: Each item of "tools" must be a JSON object.'],
      ['{"contents":[],"generationConfig":{"maxOutputTokens":8193}}', '"generationConfig.maxOutputTokens" is 8193, above this proxy\'s cap of 8192 (PROXY_MAX_OUTPUT_TOKENS). Ask for 8192 or fewer, or leave it out to get 8192.'],
      ['{"contents":[],"generationConfig":{"maxOutputTokens":"100000"}}', '"generationConfig.maxOutputTokens" must be a number.'],
      ['{"contents":[],"generation_config":{"candidate_count":2}}', '"generationConfig.candidateCount" is 2, above this proxy\'s cap of 1 (PROXY_MAX_CANDIDATES). Ask for one answer.'],
      ['{"contents":[],"generationConfig":{"topK":1,"top_k":2}}', '"generationConfig.topK" is given twice (as "topK" and its snake_case spelling); send it once.'],
      ['{"contents":[],"tools":[{"url_context":{}}]}', 'At tools[0]: The tool "urlContext" is not allowed on this proxy (tools such as Google Search or code execution are billed on top of tokens). Allowed: functionDeclarations. The operator can allow more with PROXY_ALLOWED_TOOLS.'],
      ['{"contents":[],"cached_content":"cachedContents/x"}', '"cachedContent" is not allowed on this proxy: a cached context is billed to the proxy\'s key (PROXY_ALLOW_CACHED_CONTENT). Send the conversation in "contents" instead.'],
      ['{"contents":[]', 'The request body is not valid JSON (Expected \',\' or \'}\' after property value in JSON at position 14 (line 1 column 15)).'],
    ];
    for (const [body, sentence] of cases) expect(refusal(check(body)), body).toBe(sentence);
    expect(refusal(check(Uint8Array.from([0x7b, 0xff, 0x7d])))).toBe('The request body is not valid JSON (it is not UTF-8 text).');
  });

  it('cannot be fooled by duplicate keys, escaped key names, snake_case twins or __proto__', () => {
    // JSON.parse keeps the last duplicate; Gemini sees only that one, whatever its parser would keep.
    const dup = forwarded(check('{"contents":[],"generationConfig":{"maxOutputTokens":1e9},"generationConfig":{"maxOutputTokens":5}}'));
    expect(dup).toEqual({ contents: [], generationConfig: { maxOutputTokens: 5 } });
    expect(refusal(check('{"contents":[],"generationConfig":{"maxOutputTokens":5},"generationConfig":{"maxOutputTokens":1e9}}'))).toContain('is 1000000000');
    expect(refusal(check('{"contents":[],"generation\\u0043onfig":{"max_output_tokens":9000}}'))).toContain('is 9000');
    expect(refusal(check('{"contents":[],"generationConfig":{},"generation_config":{}}'))).toContain('given twice');
    expect(refusal(check('{"contents":[],"tools":[{"googleSearch":{},"google_search":{}}]}'))).toContain('given twice');
    const proto = forwarded(check('{"contents":[],"__proto__":{"generationConfig":{"maxOutputTokens":99999}}}'));
    expect(proto.generationConfig).toEqual({ maxOutputTokens: 8192 });
    expect(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value).toEqual({ generationConfig: { maxOutputTokens: 99999 } });
  });

  it('leaves the turns to Gemini: any contents array passes, as it came', () => {
    const odd = '{"contents":[1,{"parts":{}},null]}';
    expect(forwarded(check(odd))).toEqual({ generationConfig: { maxOutputTokens: 8192 }, contents: [1, { parts: {} }, null] });
  });

  it('forwards the received bytes untouched when there is nothing to add, and checks countTokens for shape only', () => {
    const body = enc.encode('{ "contents" : [ {"role":"user","parts":[{"text":"caf\u00e9 \\u00e9"}]} ] }');
    const noCap = loadRequestPolicy({ PROXY_MAX_OUTPUT_TOKENS: '0' });
    const r = check(body, noCap);
    expect(r.ok && r.body).toBe(body);
    const spliced = check(body);
    expect(spliced.ok && new TextDecoder().decode(spliced.body)).toBe(`{"generationConfig":{"maxOutputTokens":8192}, "contents" : [ {"role":"user","parts":[{"text":"café \\u00e9"}]} ] }`);
    const count = checkModelRequest(enc.encode('{"contents":[],"generationConfig":{"candidateCount":9}}'), 'countTokens', policy);
    expect(count.ok).toBe(true);
    expect(checkModelRequest(enc.encode('{"contents":1}'), 'countTokens', policy).ok).toBe(false);
  });

  it('follows the operator: caps lifted, tools allowed in either spelling, cachedContent allowed, fields denied', () => {
    const open = loadRequestPolicy({
      PROXY_MAX_OUTPUT_TOKENS: '0', PROXY_MAX_CANDIDATES: '0', PROXY_ALLOWED_TOOLS: 'google_search, codeExecution',
      PROXY_ALLOW_CACHED_CONTENT: 'yes', PROXY_DENIED_GENERATION_FIELDS: 'speech_config',
    });
    const body = { contents: [], generationConfig: { maxOutputTokens: 65536, candidateCount: 4 }, tools: [{ googleSearch: {} }, { code_execution: {} }], cachedContent: 'cachedContents/a' };
    expect(forwarded(check(JSON.stringify(body), open))).toEqual({ ...body, tools: [{ googleSearch: {} }, { codeExecution: {} }] });
    expect(refusal(check('{"contents":[],"generationConfig":{"speechConfig":{}}}', open))).toContain('"generationConfig.speechConfig" is not allowed');
    expect(refusal(check('{"contents":[],"tools":[{"urlContext":{}}]}', open))).toContain('Allowed: functionDeclarations, googleSearch, codeExecution.');
  });
});
