// The real Live transport for lib/core/live/session.ts: the official SDK's `ai.live.connect`, at the endpoint
// endpoint.ts chooses for each connection: `httpOptions.baseUrl` = the proxy and `apiKey` = the access token (the
// proxy relays the socket to Gemini with the real key), or the Gemini endpoint and a fresh ephemeral token per
// connection (`auth_tokens/...`, apiVersion v1alpha; one use each, so a reconnect needs a new one: platform-facts.md).
// The setup asks for audio answers with both transcriptions, context window compression (an
// audio+video session otherwise ends after about 2 minutes) and session resumption
// (https://ai.google.dev/gemini-api/docs/live-session), and low media resolution for video frames.
import { GoogleGenAI, MediaResolution, Modality, type LiveConnectConfig } from '@google/genai';
import { INPUT_AUDIO_MIME } from '../core/live/pcm.ts';
import type { LiveSocket, LiveTransport, OpenRequest } from '../core/live/session.ts';
import type { LiveEndpoint } from './endpoint.ts';
import { receiveBinaryInOrder } from './ordered-socket.ts';

export interface SdkTransportOptions {
  /**
   * Where and with which credential one connection opens, given its setup config (endpoint.ts `liveEndpoint`): the
   * proxy and the access token, or the Gemini endpoint and a token minted for exactly this setup. Called before every
   * connection. Throw an Error with `fatal: true` when retrying cannot help (e.g. the proxy refused the access token).
   */
  endpoint(config: LiveConnectConfig): Promise<LiveEndpoint>;
  /** A Live model, e.g. 'gemini-live-2.5-flash-preview'. */
  model: string;
  /** Standing instructions for the model. */
  systemInstruction?: string;
}

/** The setup config for one connection (exported for tests). */
export function liveConfig(opts: Pick<SdkTransportOptions, 'systemInstruction'>, req: Pick<OpenRequest, 'handle' | 'summary'>): LiveConnectConfig {
  const instruction = [opts.systemInstruction, req.summary ? `Earlier in this conversation (a summary):\n${req.summary}` : '']
    .filter(Boolean).join('\n\n');
  return {
    responseModalities: [Modality.AUDIO],
    inputAudioTranscription: {},
    outputAudioTranscription: {},
    contextWindowCompression: { slidingWindow: {} },
    sessionResumption: req.handle ? { handle: req.handle } : {},
    mediaResolution: MediaResolution.MEDIA_RESOLUTION_LOW,
    ...(instruction ? { systemInstruction: instruction } : {}),
  };
}

/** A LiveTransport over `@google/genai`. Works in an extension page (web build) and in Node (tests). */
export function sdkLiveTransport(opts: SdkTransportOptions): LiveTransport {
  return {
    async open(req: OpenRequest): Promise<LiveSocket> {
      const config = liveConfig(opts, req);
      const { baseUrl, apiVersion, apiKey } = await opts.endpoint(config);
      const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl, apiVersion } });
      // Messages in arrival order, not in the order the SDK finishes reading them (ordered-socket.ts).
      receiveBinaryInOrder();
      let closed = false;
      const session = await ai.live.connect({
        model: opts.model,
        config,
        callbacks: {
          onmessage: (msg) => req.onMessage(msg),
          onclose: (e: { code?: number; reason?: string }) => {
            if (closed) return;
            closed = true;
            req.onClose(e.code ?? 1006, e.reason ?? '');
          },
          // An error is followed by a close, which is what the conversation acts on.
          onerror: () => {},
        },
      });
      return {
        sendAudio(chunks) {
          for (const c of chunks) session.sendRealtimeInput({ audio: { data: c.data, mimeType: INPUT_AUDIO_MIME } });
        },
        sendVideo(jpegBase64) { session.sendRealtimeInput({ video: { data: jpegBase64, mimeType: 'image/jpeg' } }); },
        sendText(text) { session.sendRealtimeInput({ text }); },
        close() {
          closed = true; // our own close: the conversation already moved on
          session.close();
        },
      };
    },
  };
}
