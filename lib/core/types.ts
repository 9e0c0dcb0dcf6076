/** Data model shared by the session core, storage, transport and UI. Pure types only. */
import type { Region } from './frames/redaction.ts';
import type { PointedBox } from './answers/boxes.ts';

export type SourceKind = 'tab' | 'camera' | 'screen';

/**
 * Why a frame was taken: sampled in the background, taken when a question was asked, a high-resolution "look
 * closer" frame, or the full-resolution crop of a region the person pointed at with a question (Turn.region).
 */
export type FrameReason = 'sampled' | 'question' | 'closer' | 'region';

export interface Frame {
  id: string;
  /** Epoch milliseconds at which the pixels were grabbed. */
  capturedAt: number;
  width: number;
  height: number;
  mimeType: 'image/jpeg';
  /** Base64 JPEG. Empty when the bytes were not kept (frames are not written to disk by default). */
  data: string;
  source: SourceKind;
  reason: FrameReason;
  /** The model's short note of what this frame showed; lets the frame leave requests yet stay in context. */
  note?: string;
  /**
   * Whose hidden regions were blacked out when it was encoded (SharingState.site: a hostname, 'camera' or
   * 'screen'). With capturedAt it decides whether a region hidden later keeps this frame's pixels from being
   * sent (lib/core/conversation/conversation-state.ts, withoutHiddenPixels). Absent on frames stored before.
   */
  site?: string;
  /**
   * Id of an earlier frame this one shows unchanged (the change detector found no change), set on a question's
   * frame when that earlier frame was already sent at least as sharply: the request then says "unchanged since"
   * instead of sending the same picture again (docs/decisions/0004-history-and-compaction.md).
   */
  sameAs?: string;
}

/** Tokens of one model call or a sum of them, as Gemini's usageMetadata reports them (lib/core/conversation/cost.ts). */
export interface Usage {
  /** Input tokens, cached ones included (promptTokenCount, plus toolUsePromptTokenCount). */
  promptTokens: number;
  /** Output tokens, thinking included (candidatesTokenCount + thoughtsTokenCount): both are billed as output. */
  answerTokens: number;
  /** Of promptTokens, those served from Gemini's implicit cache (cachedContentTokenCount), billed at the cached price. */
  cachedTokens?: number;
  /** Of answerTokens, the model's thinking (thoughtsTokenCount). */
  thoughtsTokens?: number;
}

export type ErrorKind =
  | 'proxy-unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'too-large'
  | 'bad-request'
  | 'upstream'
  | 'stream-dropped'
  | 'capture-refused'
  | 'capture-ended'
  | 'black-frames'
  | 'no-frame'
  | 'not-configured'
  | 'spend-limit'
  | 'private-site'
  | 'redaction'
  /** The browser refused to store the conversation (IndexedDB unavailable or full): it lives in memory only. */
  | 'not-saved'
  /** Sharing was asked for before the notice on what is sent was accepted. */
  | 'consent'
  | 'unknown'
  // Errors by cause (lib/core/answers/errors.ts), not by HTTP status:
  | 'proxy-key'
  | 'location'
  | 'quota'
  | 'overloaded'
  | 'model-not-found'
  | 'unreadable'
  /** The model wanted the page's text, but reading pages is not allowed yet: the panel offers to allow it. */
  | 'read-page-permission';

/** An error phrased for the person using the panel: what happened and what to do. */
export interface UserError {
  kind: ErrorKind;
  message: string;
  /** Seconds until a retry makes sense (429 RetryInfo / Retry-After). */
  retryAfterSec?: number;
  /**
   * The one thing the panel offers next to the sentence: ask again (after retryAfterSec when set),
   * open Settings (proxy, token, model), or put the question back in the ask box to change it (blocked prompt).
   */
  action?: UserErrorAction;
}

export type UserErrorAction = 'retry' | 'open-settings' | 'edit-question';

/**
 * How an answer ended, when it was not a plain complete answer (lib/core/answers/endings.ts classifies
 * Gemini's finishReason, promptFeedback.blockReason, thoughts-only and empty streams into these).
 */
export type EndingKind =
  | 'cut-short'
  | 'thinking-only'
  | 'empty'
  | 'no-answer'
  | 'unfinished'
  | 'prompt-blocked'
  | 'safety'
  | 'recitation'
  | 'language'
  | 'blocklist'
  | 'prohibited'
  | 'personal-info'
  | 'image-safety'
  | 'tool-call'
  | 'other';

/** The ending of a turn whose answer is not simply complete: a sentence for the person, and whether text was cut. */
export interface TurnEnding {
  kind: EndingKind;
  /** What happened and what the person can do, one or two sentences. Never a code alone or a raw body. */
  message: string;
  /** True when text arrived but Gemini stopped before finishing it: the text is kept, marked incomplete. */
  incomplete: boolean;
  /** The one thing the panel offers beside the sentence (same meaning as UserError.action). */
  action?: UserErrorAction;
  /** Gemini's own reason, as sent (finishReason or blockReason), for logs and tests; not for display. */
  reason?: string;
}

export type TurnStatus = 'waiting' | 'streaming' | 'done' | 'stopped' | 'error';

export interface Turn {
  id: string;
  question: string;
  askedAt: number;
  /** Id of the frame taken when the question was asked (in Conversation.frames). */
  frameId?: string;
  answer: string;
  status: TurnStatus;
  error?: UserError;
  usage?: Usage;
  firstTokenAt?: number;
  /** The model that answered cannot see pictures: it got a note in place of the screen (an OpenAI-compatible text-only model). */
  textOnly?: boolean;
  /**
   * That text-only model (its name) was sent the text of the question's picture, read by OCR in the extension
   * (lib/capture/page/ocr.ts), instead of the picture: the log says so.
   */
  ocrModel?: string;
  finishedAt?: number;
  /** Set when the answer ended other than complete (blocked, cut short, thoughts only...): says why. */
  ending?: TurnEnding;
  /** The model's thought summary (parts with `thought: true`): shown collapsed, never as the answer, never replayed. */
  thoughts?: string;
  /** A turn of a Live (voice) conversation: the question is what the person said (or typed), the answer the spoken answer's transcript. */
  spoken?: boolean;
  /** The spoken answer did not finish: the person talked over it ('barge-in'), or the connection was lost mid-answer ('connection'). */
  interrupted?: 'barge-in' | 'connection';
  /**
   * Point and ask: the region the person pointed at (fractions of the question's frame, as sent after clamping
   * and growing to the minimum size), and the id of its full-resolution crop in Conversation.frames (reason 'region';
   * absent when the crop could not be taken). The log shows the crop with the question.
   */
  region?: { area: Region; frameId?: string };
  /**
   * Places the answer points at, in fractions of the frame `boxesFrameId` (the question's frame): the panel
   * draws them there, labelled. Malformed boxes never get here (lib/core/answers/boxes.ts).
   */
  boxes?: PointedBox[];
  boxesFrameId?: string;
  /** The functions the model called while answering, in order, as the log shows them. */
  toolCalls?: ToolCallRecord[];
  /** The tab's sound went with the question: how long (ms) and how large (bytes). The sound itself is not kept. */
  sound?: { durationMs: number; bytes: number };
  /** Asked about an earlier scene (PanelCommand 'ask-about-scene'): that scene's frame id in Conversation.frames. */
  sceneFrameId?: string;
}

/** One function call of the model, compactly: what it asked for and what came of it. */
export interface ToolCallRecord {
  /** look_closer, read_page, timeline, point_at (lib/core/tools/declarations.ts), or what the model named. */
  name: string;
  /** Its arguments, strings cut to 200 characters. */
  args: Record<string, unknown>;
  ok: boolean;
  /** One line for the log: what it returned, or why it failed (English; the panel words known calls itself). */
  summary: string;
  /** look_closer: the picture's size in pixels. */
  picture?: { width: number; height: number };
  /** read_page: the page's title. */
  title?: string;
  /** timeline: how many scenes it listed. */
  scenes?: number;
}

export interface Conversation {
  id: string;
  createdAt: number;
  updatedAt: number;
  title: string;
  turns: Turn[];
  /** Frames kept for context, oldest first. */
  frames: Frame[];
  /** Rolling "summary so far" that replaces turns and frames compacted out of requests. */
  summary?: string;
  /** Number of turns (from the start) that the summary covers. */
  summarizedTurns: number;
  usage: Usage;
  framesKept: number;
  framesDropped: number;
}

/** A conversation as the panel renders it: frames' bytes are left out, their count kept. */
export type ConversationView = Omit<Conversation, 'frames'> & { frameCount: number };
