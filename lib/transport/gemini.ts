/**
 * The model transport: one streamed generateContent call through the user's proxy, with the official SDK.
 * The proxy speaks Gemini's REST API, so the SDK is used unchanged: baseUrl = proxy, apiKey = access token.
 */
import { GoogleGenAI, type Content, type GenerateContentResponseUsageMetadata } from '@google/genai';
import type { Usage } from '../core/types.ts';
import { usageFromMetadata } from '../core/conversation/cost.ts';

export interface StreamRequest {
  proxyUrl: string;
  accessToken: string;
  model: string;
  contents: Content[];
  systemInstruction?: string;
  signal?: AbortSignal;
  onDelta: (text: string) => void;
}

export interface StreamResult {
  text: string;
  usage?: Usage;
}

/** REST API version the proxy is called with; pinned because SDK majors change the default. */
export const API_VERSION = 'v1beta';

/** Usage from the SDK's metadata; thinking tokens are billed as output (lib/session/cost.ts). */
export function usageFrom(meta: GenerateContentResponseUsageMetadata | undefined): Usage | undefined {
  return usageFromMetadata(meta);
}

/** The SDK pointed at the user's proxy: the access token travels where the SDK puts an API key. */
function clientFor(req: Pick<StreamRequest, 'accessToken' | 'proxyUrl'>): GoogleGenAI {
  return new GoogleGenAI({ apiKey: req.accessToken, httpOptions: { baseUrl: req.proxyUrl, apiVersion: API_VERSION } });
}

function configFor(req: Omit<StreamRequest, 'onDelta'>) {
  return { abortSignal: req.signal, ...(req.systemInstruction ? { systemInstruction: req.systemInstruction } : {}) };
}

export async function streamAnswer(req: StreamRequest): Promise<StreamResult> {
  const stream = await clientFor(req).models.generateContentStream({ model: req.model, contents: req.contents, config: configFor(req) });
  let text = '';
  let usage: Usage | undefined;
  for await (const chunk of stream) {
    const delta = chunk.text ?? '';
    if (delta) {
      text += delta;
      req.onDelta(delta);
    }
    // usageMetadata is a running total: the last one wins.
    usage = usageFrom(chunk.usageMetadata) ?? usage;
  }
  return { text, usage };
}

/** One non-streamed call (used for summaries and scene notes). */
export async function generateText(req: Omit<StreamRequest, 'onDelta'>): Promise<StreamResult> {
  const res = await clientFor(req).models.generateContent({ model: req.model, contents: req.contents, config: configFor(req) });
  return { text: res.text ?? '', usage: usageFrom(res.usageMetadata) };
}
