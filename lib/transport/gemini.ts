/**
 * The model transport: one streamed generateContent call through the user's proxy, with the official SDK.
 * The proxy speaks Gemini's REST API, so the SDK is used unchanged: baseUrl = proxy, apiKey = access token.
 */
import { GoogleGenAI, type Content, type GenerateContentResponseUsageMetadata } from '@google/genai';
import type { Usage } from '../session/types.ts';
import { usageFromMetadata } from '../session/cost.ts';

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

export async function streamAnswer(req: StreamRequest): Promise<StreamResult> {
  const ai = new GoogleGenAI({
    apiKey: req.accessToken,
    httpOptions: { baseUrl: req.proxyUrl, apiVersion: API_VERSION },
  });
  const stream = await ai.models.generateContentStream({
    model: req.model,
    contents: req.contents,
    config: {
      abortSignal: req.signal,
      ...(req.systemInstruction ? { systemInstruction: req.systemInstruction } : {}),
    },
  });
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
  const ai = new GoogleGenAI({
    apiKey: req.accessToken,
    httpOptions: { baseUrl: req.proxyUrl, apiVersion: API_VERSION },
  });
  const res = await ai.models.generateContent({
    model: req.model,
    contents: req.contents,
    config: { abortSignal: req.signal, ...(req.systemInstruction ? { systemInstruction: req.systemInstruction } : {}) },
  });
  return { text: res.text ?? '', usage: usageFrom(res.usageMetadata) };
}
