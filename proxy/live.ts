// GET /ws/google.ai.generativelanguage.{version}.GenerativeService.BidiGenerateContent: the Live API
// relay. The SDK's `ai.live.connect` (baseUrl = this proxy, apiKey = the access token) opens this
// socket with the token in the URL (`?key=`); the proxy checks it, opens the same path at Gemini with
// the real key, and passes frames both ways unchanged (the wire protocol: https://ai.google.dev/api/live).
// Tokens are counted from each turn's `usageMetadata` against the daily budget. Refusals are close
// frames with a sentence (1008 bad token or policy, 1013 too many requests), since a client's
// handshake error carries no readable reason. The socket URL holds the access token and the upstream
// URL the key, so neither URL is ever logged or put in an error message.
// Platform glue (accepting the client's socket, opening Gemini's) lives in live-node.ts / live-worker.ts.
import type { Context } from 'hono';
import { presentedToken } from './auth.ts';
import { geminiError } from './errors.ts';
import { utcDay } from './limits.ts';
import { settle, type ProxyEnv, type ProxyServices } from './context.ts';

/** The client's socket, as the relay uses it. `data` strings are text frames, ArrayBuffers binary. */
export interface RelaySocket {
  send(data: string | ArrayBuffer): void;
  close(code: number, reason: string): void;
}

/** What a socket reports to the relay. */
export interface SocketHandlers {
  onMessage(data: string | ArrayBuffer): void;
  /** Once, when the socket has closed (code 1006 when it dropped without a close frame). */
  onClose(code: number, reason: string): void;
}

/** A platform's WebSocket support (Node: live-node.ts; Workers: live-worker.ts). */
export interface LivePlatform {
  /** Completes the client's upgrade; `attach` is called once the socket is open. */
  accept(c: Context<ProxyEnv>, attach: (client: RelaySocket) => SocketHandlers): Response | Promise<Response>;
  /** Opens a socket to `url` (ws: or wss:); `onOpen` when it can send. A failed open reports onClose(1006). */
  connect(url: string, handlers: SocketHandlers & { onOpen(): void }): RelaySocket;
}

const RPC = /^google\.ai\.generativelanguage\.(v1|v1beta|v1alpha)\.GenerativeService\.BidiGenerateContent$/;
/** Client messages held while Gemini's socket opens (a setup and a few chunks; more is abuse). */
const MAX_QUEUED = 256;
const budgetSentence = (limit: number) => `This access token used its ${limit} tokens for today (PROXY_TOKENS_PER_DAY); resets at 00:00 UTC.`;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A close reason: at most 123 bytes of UTF-8 (RFC 6455 §5.5). */
export function closeReason(text: string): string {
  if (encoder.encode(text).length <= 123) return text;
  let out = text;
  while (out && encoder.encode(out + '…').length > 123) out = out.slice(0, -1);
  return out + '…';
}

/** Codes a peer may send in a close frame; the rest (1005, 1006, 1015) become 1011 or 1000. */
function sendable(code: number): number {
  if (code === 1000 || (code >= 1001 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)) return code;
  return code === 1005 ? 1000 : 1011;
}

type Admission = { tokenKey: string } | { code: number; reason: string };

/** Token, request rate and daily budget, checked before the socket is accepted. */
async function admit(c: Context<ProxyEnv>, s: ProxyServices, url: URL): Promise<Admission> {
  const token = url.searchParams.get('key') || url.searchParams.get('access_token') || presentedToken(c.req.raw.headers);
  if (!token) return { code: 1008, reason: 'No proxy access token. Enter the token your proxy operator gave you in Sightline settings.' };
  const tokenKey = await s.tokens.check(token);
  if (!tokenKey) return { code: 1008, reason: 'This proxy access token is not valid. Check it in Sightline settings, or ask the operator.' };
  c.set('tokenKey', tokenKey);
  c.get('record').tokenKey = tokenKey;
  let passed = false;
  await s.requestLimiter(c, async () => { passed = true; });
  if (!passed) return { code: 1013, reason: 'Too many requests with this access token (PROXY_RPM). Wait a minute, then try again.' };
  if (s.config.tokensPerDay > 0 && (await s.budget.spent(tokenKey, utcDay())) >= s.config.tokensPerDay) {
    return { code: 1008, reason: budgetSentence(s.config.tokensPerDay) };
  }
  return { tokenKey };
}

/** The route handler. */
export async function relayLive(c: Context<ProxyEnv>): Promise<Response> {
  const s = c.get('services');
  const record = c.get('record');
  const rpc = RPC.exec(c.req.param('rpc') ?? '');
  if (!rpc) return geminiError(404, 'NOT_FOUND', 'Unknown Live method: this proxy relays GenerativeService.BidiGenerateContent.');
  if (!s.live) return geminiError(501, 'UNIMPLEMENTED', 'This proxy does not relay Live API sockets on this platform.');
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    return geminiError(426, 'FAILED_PRECONDITION', 'This is the Live API socket: connect with a WebSocket (the SDK\'s ai.live.connect).');
  }
  const admission = await admit(c, s, new URL(c.req.url));
  record.deferred = true;
  let finished!: () => void;
  // Workers end a request's work when its response is sent; the socket outlives it.
  c.executionCtx.waitUntil(new Promise<void>((resolve) => { finished = resolve; }));
  const res = await s.live.accept(c, (client) => {
    if ('code' in admission) {
      client.close(admission.code, closeReason(admission.reason));
      record.end = `close ${admission.code}`;
      settle(s, record, 101);
      finished();
      return { onMessage() {}, onClose() {} };
    }
    return relay(c, s, rpc[0], admission.tokenKey, client, finished);
  });
  if (res.status >= 400) { record.deferred = false; finished(); }
  return res;
}

const PROMPT = /"promptTokenCount"\s*:\s*(\d+)/;
const RESPONSE = /"responseTokenCount"\s*:\s*(\d+)/;
const THOUGHTS = /"thoughtsTokenCount"\s*:\s*(\d+)/;
const TURN_END = /"(turnComplete|interrupted)"\s*:\s*true/;
const num = (re: RegExp, text: string) => Number(re.exec(text)?.[1] ?? 0);

function relay(c: Context<ProxyEnv>, s: ProxyServices, rpc: string, tokenKey: string, client: RelaySocket, finished: () => void): SocketHandlers {
  const record = c.get('record');
  const { config } = s;
  const key = config.geminiApiKey;
  s.metrics.openStreams++;
  record.promptTokens = 0;
  record.answerTokens = 0;
  let upstreamOpen = false;
  let done = false;
  let setupSeen = false;
  const queue: (string | ArrayBuffer)[] = [];
  // Within a turn usageMetadata may repeat or grow: keep the largest, add it when the turn ends.
  let turn = { prompt: 0, answer: 0 };

  const commitTurn = () => {
    const { prompt, answer } = turn;
    turn = { prompt: 0, answer: 0 };
    if (prompt + answer === 0) return;
    record.promptTokens! += prompt;
    record.answerTokens! += answer;
    s.metrics.addTokens(prompt, answer);
    const day = utcDay();
    const limit = config.tokensPerDay;
    // Past the daily budget the conversation ends after the turn that crossed it.
    c.executionCtx.waitUntil(s.budget.add(tokenKey, day, prompt + answer).then(async () => {
      if (limit > 0 && !done && (await s.budget.spent(tokenKey, day)) >= limit) refuse(1008, budgetSentence(limit));
    }));
  };

  const finish = (end: string) => {
    if (done) return;
    done = true;
    commitTurn();
    s.metrics.openStreams--;
    record.end = end;
    settle(s, record, 101);
    finished();
  };

  const refuse = (code: number, reason: string) => {
    client.close(code, closeReason(reason));
    upstream.close(1000, 'Client refused by the proxy.');
    finish(`close ${code}`);
  };

  const base = config.geminiBaseUrl.replace(/^http/, 'ws');
  const sent = performance.now();
  const upstream = s.live!.connect(`${base}/ws/${rpc}?key=${encodeURIComponent(key)}`, {
    onOpen() {
      upstreamOpen = true;
      record.upstreamMs = Math.round((performance.now() - sent) * 10) / 10;
      for (const m of queue.splice(0)) upstream.send(m);
    },
    onMessage(data) {
      const text = typeof data === 'string' ? data : decoder.decode(data);
      if (text.includes('TokenCount')) {
        turn.prompt = Math.max(turn.prompt, num(PROMPT, text));
        turn.answer = Math.max(turn.answer, num(RESPONSE, text) + num(THOUGHTS, text));
      }
      if (TURN_END.test(text)) commitTurn();
      // Gemini has no reason to echo the key, but nothing from upstream reaches a client with it in.
      if (key && text.includes(key)) client.send(text.replaceAll(key, '[redacted]'));
      else client.send(data);
    },
    onClose(code, reason) {
      if (done) return;
      if (!upstreamOpen) {
        record.error = 'upstream connect failed';
        client.close(1011, 'The proxy could not reach Gemini Live. Try again shortly.');
      } else if ((code === 1007 || code === 1008) && /api key/i.test(reason)) {
        record.error = 'upstream refused the key';
        client.close(1011, 'Gemini refused the proxy\'s API key. The proxy operator must check GEMINI_API_KEY.');
      } else {
        client.close(sendable(code), closeReason(key ? reason.replaceAll(key, '[redacted]') : reason));
      }
      finish(`upstream ${code}`);
    },
  });

  return {
    onMessage(data) {
      if (done) return;
      if (!setupSeen) {
        // The first message is `setup`: its model must be one this proxy allows.
        setupSeen = true;
        const model = modelOf(data);
        record.model = model ?? undefined;
        if (!model) return refuse(1007, 'The first message must be a setup with a model.');
        if (!config.models.includes(model) && !config.liveModels.includes(model)) {
          return refuse(1008, `Model ${model} is not allowed on this proxy (PROXY_LIVE_MODELS).`);
        }
      }
      if (upstreamOpen) upstream.send(data);
      else if (queue.push(data) > MAX_QUEUED) refuse(1009, 'Too many messages before Gemini answered. Send the setup, then wait for setupComplete.');
    },
    onClose(code, reason) {
      if (done) return;
      upstream.close(sendable(code), closeReason(reason));
      finish(`client ${code}`);
    },
  };
}

/** `setup.model` without its `models/` prefix, or null when the message is not a setup. */
function modelOf(data: string | ArrayBuffer): string | null {
  try {
    const msg = JSON.parse(typeof data === 'string' ? data : decoder.decode(data)) as { setup?: { model?: unknown } };
    const model = msg.setup?.model;
    if (typeof model !== 'string') return null;
    const name = model.replace(/^models\//, '');
    return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) ? name : null;
  } catch {
    return null;
  }
}
