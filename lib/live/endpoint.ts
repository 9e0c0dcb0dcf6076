/**
 * Where each Live connection opens, and with which credential (issue 12, item 4):
 * - through the proxy (the default): `{proxy}/ws/...BidiGenerateContent?key=ACCESS_TOKEN`, apiVersion v1beta; the
 *   proxy swaps the access token for the real key and relays every frame;
 * - straight to Gemini (Settings "Connect voice straight to Google", `liveDirect`): before every connection (the
 *   first, and each reconnect or resume: a token is good for one use) the proxy mints a constrained ephemeral token
 *   (`POST {proxy}/v1alpha/auth_tokens` with the access token as `x-goog-api-key`, proxy/live-tokens.ts), locked to
 *   this connection's model and setup; the socket then opens at the Gemini endpoint the proxy forwards to (the mint
 *   reply's `liveUrl`, Google's when absent) with `...BidiGenerateContentConstrained?access_token=auth_tokens/...`,
 *   apiVersion v1alpha, as the SDK does for ephemeral tokens
 *   (https://ai.google.dev/gemini-api/docs/ephemeral-tokens). The key never reaches the extension either way.
 */
import { GoogleGenAI, type LiveConnectConfig } from '@google/genai';
import { parseError, quotable } from '../core/answers/error-body.ts';

/** Google's Gemini API, where a direct connection goes when the proxy does not say otherwise. */
export const GOOGLE_API_URL = 'https://generativelanguage.googleapis.com';

/** Where and how one Live connection opens (the SDK's `baseUrl`, `apiVersion` and `apiKey`). */
export interface LiveEndpoint {
  baseUrl: string;
  apiVersion: string;
  /** The proxy access token (relay), or a one-use `auth_tokens/...` token (direct). */
  apiKey: string;
}

/** What choosing the endpoint needs: the proxy, its access token, the Live model, and the person's choice. */
export interface EndpointChoice {
  proxyUrl: string;
  accessToken: string;
  model: string;
  /** Settings `liveDirect`: straight to Gemini with a token the proxy mints per connection. */
  direct?: boolean;
}

/** An Error the Live session reads: `fatal` stops retrying (lib/core/live/session.ts). */
export class EndpointError extends Error {
  readonly fatal: boolean;
  constructor(message: string, fatal: boolean) {
    super(message);
    this.name = 'EndpointError';
    this.fatal = fatal;
  }
}

/** Mints one token for `config`; the default asks the proxy (mintLiveToken). */
export type Minter = (choice: EndpointChoice, config: LiveConnectConfig) => Promise<LiveEndpoint>;

/**
 * The endpoint function a Live transport calls before each connection, given that connection's setup config:
 * the proxy relay, or a freshly minted token at the Gemini endpoint when `direct` is on.
 */
export function liveEndpoint(choice: EndpointChoice, mint: Minter = mintLiveToken): (config: LiveConnectConfig) => Promise<LiveEndpoint> {
  if (!choice.direct) {
    const relay: LiveEndpoint = { baseUrl: choice.proxyUrl, apiVersion: 'v1beta', apiKey: choice.accessToken };
    return () => Promise.resolve(relay);
  }
  return (config) => mint(choice, config);
}

const TURN_OFF = 'or turn off "Connect voice straight to Google" in Settings';

/** A sentence for a failed mint, and whether trying again can help. */
export function mintFailure(err: unknown): EndpointError {
  const p = parseError(err);
  const said = quotable(p.message, 200);
  const their = said ? ` It said: ${said}` : '';
  switch (p.status) {
    case undefined:
      return new EndpointError(`Could not reach the proxy to get a one-use Live token (${quotable(p.raw, 120) ?? 'network error'}). Check that it is running and its URL in Settings.`, false);
    case 401:
      return new EndpointError('The proxy refused the access token when asked for a one-use Live token. Check the access token in Settings.', true);
    case 404:
    case 405:
      return new EndpointError(`This proxy does not offer one-use Live tokens (it has no /v1alpha/auth_tokens). Update the proxy, ${TURN_OFF}.`, true);
    case 403:
    case 400:
    case 413:
      return new EndpointError(`The proxy refused to mint a one-use Live token (HTTP ${p.status}).${their}`, true);
    default:
      // 429 (budget or rate), 5xx: the reconnect machine tries again with backoff, then gives up with this sentence.
      return new EndpointError(`The proxy could not mint a one-use Live token (HTTP ${p.status}).${their}`, false);
  }
}

/** The Gemini base URL the proxy forwards to, as its mint reply says (`liveUrl`), else Google's. */
export function liveUrlOf(reply: object): string {
  const url = 'liveUrl' in reply && typeof reply.liveUrl === 'string' ? reply.liveUrl.trim().replace(/\/+$/, '') : '';
  return /^(https?|wss?):\/\/[^/]/.test(url) ? url : GOOGLE_API_URL;
}

/**
 * Asks the proxy for one constrained ephemeral token (one use, this model and setup locked: no `lockAdditionalFields`
 * means every field is locked) and returns where to open the socket with it. Throws an EndpointError in words.
 */
export async function mintLiveToken(choice: EndpointChoice, config: LiveConnectConfig): Promise<LiveEndpoint> {
  const ai = new GoogleGenAI({ apiKey: choice.accessToken, httpOptions: { baseUrl: choice.proxyUrl, apiVersion: 'v1alpha' } });
  let reply: object;
  try {
    reply = await ai.authTokens.create({ config: { uses: 1, liveConnectConstraints: { model: choice.model, config } } });
  } catch (err) {
    throw mintFailure(err);
  }
  const name = 'name' in reply && typeof reply.name === 'string' ? reply.name : '';
  if (!name.startsWith('auth_tokens/')) throw new EndpointError('The proxy answered without a one-use Live token. Tell whoever runs the proxy.', true);
  return { baseUrl: liveUrlOf(reply), apiVersion: 'v1alpha', apiKey: name };
}
