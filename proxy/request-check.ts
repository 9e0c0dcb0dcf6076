// Checks a model call's body before any upstream call: JSON.parse plus a zod schema built from the
// operator's request policy (config.ts, RequestPolicy). Sentences name the field, the cap and the setting.
//
// Why zod 4: the most used and best kept schema library for TypeScript, typed end to end, no dependencies,
// and already the project's choice for typed schemas; its bundle (~60 KB minified) is small next to the
// Workers limits. Why not the earlier hand-written byte scanner: decode plus JSON.parse costs ~1.4 ms per MB
// here (the scanner ~0.6 ms per MB), well inside a Workers request's CPU at the sizes the extension sends;
// see proxy/README.md ("Costs") for the figures and the Workers Free plan note.
//
// What Gemini receives is what was checked. A body with none of the policed fields (generationConfig, tools,
// cachedContent, in either spelling Gemini's JSON accepts) is forwarded as received, with only
// `"generationConfig":{"maxOutputTokens":CAP}` spliced in; a body with them is re-serialised from the checked
// object, so a duplicate key or a snake_case twin cannot show Gemini something the proxy did not see.
import * as z from 'zod';
import { camelCase, type RequestPolicy } from './config.ts';
import { scanTopLevel } from './json-scan.ts';

/** The check's verdict: the bytes to send Gemini, or the sentence of a 400. */
export type RequestCheck = { ok: true; body: Uint8Array<ArrayBuffer> } | { ok: false; message: string };

/** The Gemini methods the proxy serves. countTokens is free: its body is checked for shape only. */
export type ModelAction = 'streamGenerateContent' | 'generateContent' | 'countTokens';

const BODY = 'The request body must be a JSON object with a "contents" array (the conversation turns), as in Gemini\'s generateContent API.';

// The turns themselves are Gemini's to judge (it answers 400 with its own sentence); the proxy reads none of them.
const Contents = z.array(z.unknown(), 'The request body needs a "contents" array (the conversation turns), as in Gemini\'s generateContent API.');

const countTokensSchema = z.looseObject({ contents: Contents }, BODY);

/** A numeric generationConfig field with an operator cap (0 = none). */
function capped(field: string, cap: number, setting: string, ask: string) {
  const number = z.number(`"generationConfig.${field}" must be a number.`);
  if (cap <= 0) return number.optional();
  return number.max(cap, {
    error: (issue) => `"generationConfig.${field}" is ${String(issue.input)}, above this proxy's cap of ${cap} (${setting}). ${ask}`,
  }).optional();
}

function disallowedTools(tool: Record<string, unknown>, policy: RequestPolicy): string[] {
  return Object.keys(tool).filter((k) => k !== 'functionDeclarations' && !policy.allowedTools.includes(k));
}

function generateSchema(policy: RequestPolicy) {
  const generationConfig = z.looseObject({
    maxOutputTokens: capped('maxOutputTokens', policy.maxOutputTokens, 'PROXY_MAX_OUTPUT_TOKENS',
      `Ask for ${policy.maxOutputTokens} or fewer, or leave it out to get ${policy.maxOutputTokens}.`),
    candidateCount: capped('candidateCount', policy.maxCandidates, 'PROXY_MAX_CANDIDATES',
      `Ask for ${policy.maxCandidates === 1 ? 'one answer' : `${policy.maxCandidates} answers or fewer`}.`),
  }, '"generationConfig" must be a JSON object.').superRefine((gc, ctx) => {
    const denied = policy.deniedGenerationFields.find((f) => Object.hasOwn(gc, f));
    if (denied) {
      ctx.addIssue({ code: 'custom', message: `"generationConfig.${denied}" is not allowed on this proxy ` +
        '(PROXY_DENIED_GENERATION_FIELDS). Leave it out of the request.' });
    }
  });
  const allowed = ['functionDeclarations', ...policy.allowedTools].join(', ');
  const tool = z.looseObject({}, 'Each item of "tools" must be a JSON object.').superRefine((t, ctx) => {
    const [refused] = disallowedTools(t, policy);
    if (refused) {
      ctx.addIssue({ code: 'custom', message: `The tool "${refused}" is not allowed on this proxy (tools such as ` +
        `Google Search or code execution are billed on top of tokens). Allowed: ${allowed}. ` +
        'The operator can allow more with PROXY_ALLOWED_TOOLS.' });
    }
  });
  const cachedContent = policy.allowCachedContent
    ? z.string('"cachedContent" must be a string (a cachedContents/... name).').optional()
    : z.never('"cachedContent" is not allowed on this proxy: a cached context is billed to the proxy\'s key ' +
        '(PROXY_ALLOW_CACHED_CONTENT). Send the conversation in "contents" instead.').optional();
  return z.looseObject({
    contents: Contents,
    generationConfig: generationConfig.optional(),
    tools: z.array(tool, '"tools" must be an array.').optional(),
    cachedContent,
  }, BODY);
}

const schemas = new WeakMap<RequestPolicy, ReturnType<typeof generateSchema>>();

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * `obj` with camelCase keys (itself when every key already is); a message when two keys name one field
 * (`topK` and `top_k`).
 */
function camelKeys(obj: Record<string, unknown>, where: string): Record<string, unknown> | string {
  const keys = Object.keys(obj);
  if (!keys.some((k) => k.includes('_'))) return obj;
  const out: Record<string, unknown> = Object.create(null); // a "__proto__" key stays a plain key
  for (const key of keys) {
    const value = obj[key];
    const name = camelCase(key);
    if (name in out) return `"${where}${name}" is given twice (as "${name}" and its snake_case spelling); send it once.`;
    out[name] = value;
  }
  return out;
}

const POLICED = ['generationConfig', 'tools', 'cachedContent'];

/** The request with camelCase keys where the policy looks (top level, generationConfig, each tool). */
function normalised(body: Record<string, unknown>): { value: Record<string, unknown>; policed: boolean } | string {
  const top = camelKeys(body, '');
  if (typeof top === 'string') return top;
  if (isPlainObject(top.generationConfig)) {
    const gc = camelKeys(top.generationConfig, 'generationConfig.');
    if (typeof gc === 'string') return gc;
    top.generationConfig = gc;
  }
  if (Array.isArray(top.tools)) {
    const tools: unknown[] = [];
    for (const t of top.tools) {
      const tool = isPlainObject(t) ? camelKeys(t, 'tools[].') : t;
      if (typeof tool === 'string') return tool;
      tools.push(tool);
    }
    top.tools = tools;
  }
  return { value: top, policed: POLICED.some((k) => Object.hasOwn(top, k)) };
}

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });

const capBytes = new WeakMap<RequestPolicy, Uint8Array>();

/** `bytes` with `"generationConfig":{"maxOutputTokens":CAP},` placed just after the top-level object's opening brace. */
function spliceCap(bytes: Uint8Array<ArrayBuffer>, policy: RequestPolicy): Uint8Array<ArrayBuffer> {
  let add = capBytes.get(policy);
  if (!add) capBytes.set(policy, (add = encoder.encode(`"generationConfig":{"maxOutputTokens":${policy.maxOutputTokens}},`)));
  const at = bytes.indexOf(0x7b) + 1; // the body parsed as an object, so its first '{' opens it
  const out = new Uint8Array(bytes.length + add.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(add, at);
  out.set(bytes.subarray(at), at + add.length);
  return out;
}

/** Where a schema issue points, as `contents[2].parts[0]`, or '' at the top. */
function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
}

/**
 * The common request passed without decoding or parsing it: valid JSON (json-scan.ts validates every byte),
 * a top-level object with a "contents" array and no key the policy looks at (nor any snake_case key, which
 * might spell one). Null sends the body down the full check, which is the one that words refusals.
 */
function quickCheck(bytes: Uint8Array<ArrayBuffer>, action: ModelAction, policy: RequestPolicy): RequestCheck | null {
  const top = scanTopLevel(bytes);
  if (!top) return null;
  const at = top.keys.indexOf('contents');
  if (at < 0 || top.firstBytes[at] !== 0x5b) return null;
  if (action === 'countTokens') return { ok: true, body: bytes };
  if (top.keys.some((k) => k.includes('_') || POLICED.includes(k))) return null;
  return { ok: true, body: policy.maxOutputTokens > 0 ? spliceCap(bytes, policy) : bytes };
}

/**
 * Checks a model call's body (UTF-8 JSON bytes) against the schema and `policy`. Returns the bytes to send
 * Gemini, or a sentence for a 400 INVALID_ARGUMENT: not UTF-8, not JSON, wrong shape, a cap passed, a tool
 * or field not allowed. Never throws for any input.
 */
export function checkModelRequest(bytes: Uint8Array<ArrayBuffer>, action: ModelAction, policy: RequestPolicy): RequestCheck {
  const quick = quickCheck(bytes, action, policy);
  if (quick) return quick;
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    const why = err instanceof SyntaxError ? err.message : 'it is not UTF-8 text';
    return { ok: false, message: `The request body is not valid JSON (${why}).` };
  }
  if (action === 'countTokens') {
    const shape = countTokensSchema.safeParse(parsed);
    return shape.success ? { ok: true, body: bytes } : { ok: false, message: shape.error.issues[0]!.message };
  }
  if (!isPlainObject(parsed)) return { ok: false, message: BODY };
  const norm = normalised(parsed);
  if (typeof norm === 'string') return { ok: false, message: norm };
  let schema = schemas.get(policy);
  if (!schema) schemas.set(policy, (schema = generateSchema(policy)));
  const result = schema.safeParse(norm.value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = pathOf(issue);
    return { ok: false, message: /\[\d+\]/.test(path) ? `At ${path}: ${issue.message}` : issue.message };
  }
  const cap = policy.maxOutputTokens;
  if (!norm.policed) {
    return { ok: true, body: cap > 0 ? spliceCap(bytes, policy) : bytes };
  }
  const body = norm.value;
  if (cap > 0) {
    const gc = isPlainObject(body.generationConfig) ? body.generationConfig : {};
    body.generationConfig = gc.maxOutputTokens === undefined ? { ...gc, maxOutputTokens: cap } : gc;
  }
  return { ok: true, body: encoder.encode(JSON.stringify(body)) };
}
