/**
 * The function-calling loop of a typed answer (issue 14, item 4): the model answers, or asks for functions;
 * each function runs with a time limit and its result (or an error it can read) goes back with the model's
 * own turn, and the model goes on. At most MAX_TOOL_ROUNDS rounds of calls; the round after them is asked
 * for text only (mode NONE), so an answer always ends. The loop follows Gemini's function-calling guide
 * (https://ai.google.dev/gemini-api/docs/function-calling): the model's turn goes back verbatim (Gemini 3
 * refuses a function call without its thoughtSignature), then one user turn with every functionResponse.
 * Pure apart from the injected model call and tools.
 */
import type { Content, FunctionCall, FunctionDeclaration, Part } from '@google/genai';
import type { StreamRequest, StreamResult } from '../transport/gemini.ts';
import { classifyEnding } from '../core/answers/endings.ts';
import { addUsage } from '../core/conversation/cost.ts';
import type { PointedBox } from '../core/answers/boxes.ts';
import type { ToolOutcome } from '../core/tools/dispatch.ts';
import type { ToolCallRecord, Usage } from '../core/types.ts';
import { streamVisibleAnswer, type VisibleAnswer } from './answer-stream.ts';

/** Rounds of function calls one answer may make before it is asked for text only. */
export const MAX_TOOL_ROUNDS = 3;
/** Longest a function may take (ms) before the model is told it gave up; a grab itself gives up after 4 s. */
export const TOOL_TIMEOUT_MS = 8000;

/** The functions offered for one answer, and how to run a call of one. */
export interface ToolSet {
  declarations: FunctionDeclaration[];
  /** Runs one call; never rejects (lib/core/tools/dispatch.ts, runTool). */
  run(call: FunctionCall): Promise<ToolOutcome>;
  /** Longest a call may take (ms). Default TOOL_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** An answer after its function calls: what the person sees, the calls made, and the boxes marked. */
export interface ToolAnswer extends VisibleAnswer {
  toolCalls: ToolCallRecord[];
  boxes: PointedBox[];
}

/** A call that did not finish in time answers with an error; the call itself is left to finish unheard. */
function inTime(outcome: Promise<ToolOutcome>, call: FunctionCall, ms: number): Promise<ToolOutcome> {
  const name = call.name ?? '(unnamed)';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<ToolOutcome>((resolve) => {
    timer = setTimeout(() => {
      const message = `${name} did not finish within ${Math.round(ms / 1000)} s and was given up; answer without it.`;
      resolve({ response: { error: message }, media: [], record: { name, args: {}, ok: false, summary: `gave up after ${Math.round(ms / 1000)} s` } });
    }, ms);
  });
  return Promise.race([outcome, late]).finally(() => clearTimeout(timer));
}

/** The user turn that answers a round of calls: every functionResponse, then the pictures, each after its label. */
function responseTurn(calls: FunctionCall[], outcomes: ToolOutcome[]): Content {
  const parts: Part[] = calls.map((call, k) => ({
    functionResponse: { ...(call.id ? { id: call.id } : {}), name: call.name ?? '', response: outcomes[k]!.response },
  }));
  for (const o of outcomes) for (const m of o.media) parts.push({ text: m.label }, { inlineData: { mimeType: m.image.mimeType, data: m.image.data } });
  return { role: 'user', parts };
}

const joined = (texts: string[]) => texts.filter(Boolean).join('\n\n');

/**
 * Streams an answer through `call`, running the model's function calls with `tools` between rounds.
 * `onVisible` gets the whole visible answer so far (text of earlier rounds first); `onCalls` every call record
 * so far, after each round. Without tools it is one plain streamed answer. Rejects as the model call does
 * (an aborted signal included).
 */
export async function answerWithTools(
  call: (req: StreamRequest) => Promise<StreamResult>,
  req: Omit<StreamRequest, 'onDelta' | 'tools'>,
  tools: ToolSet | undefined,
  onVisible: (visible: string) => void,
  onCalls: (records: ToolCallRecord[]) => void,
): Promise<ToolAnswer> {
  if (!tools?.declarations.length) return { ...(await streamVisibleAnswer(call, req, onVisible)), toolCalls: [], boxes: [] };
  let contents = req.contents;
  const texts: string[] = [];
  const records: ToolCallRecord[] = [];
  const boxes: PointedBox[] = [];
  let usage: Usage | undefined;
  let thoughts = '';
  let sceneNote: string | undefined;
  for (let round = 0; ; round++) {
    const before = joined(texts);
    const mode = round < MAX_TOOL_ROUNDS ? 'AUTO' : 'NONE';
    const res = await streamVisibleAnswer((r) => call({ ...r, tools: { declarations: tools.declarations, mode } }), { ...req, contents }, (visible) =>
      onVisible(joined([before, visible])),
    );
    usage = res.usage ? addUsage(usage ?? { promptTokens: 0, answerTokens: 0 }, res.usage) : usage;
    if (res.thoughts) thoughts = joined([thoughts, res.thoughts]);
    sceneNote = res.sceneNote ?? sceneNote;
    texts.push(res.answer);
    const calls = res.calls?.functionCalls ?? [];
    const pointsOnly = calls.length > 0 && calls.every((c) => c.name === 'point_at');
    const outcomes = await Promise.all(calls.map((c) => inTime(tools.run(c), c, tools.timeoutMs ?? TOOL_TIMEOUT_MS)));
    for (const o of outcomes) {
      records.push(o.record);
      boxes.push(...(o.boxes ?? []));
    }
    if (calls.length) onCalls([...records]);
    req.signal?.throwIfAborted();
    // Done: no calls, or only boxes marked beside an answer already written (nothing for the model to read back).
    if (!calls.length || mode === 'NONE' || (pointsOnly && res.answer)) {
      const answer = joined(texts);
      const ending = classifyEnding(res.signals, answer);
      const { ending: _e, thoughts: _t, sceneNote: _s, calls: _c, ...last } = res;
      return {
        ...last,
        answer,
        usage,
        ...(sceneNote ? { sceneNote } : {}),
        ...(ending ? { ending } : {}),
        ...(thoughts ? { thoughts } : {}),
        toolCalls: records,
        boxes,
      };
    }
    contents = [...contents, { role: 'model', parts: res.calls?.modelParts ?? calls.map((functionCall) => ({ functionCall })) }, responseTurn(calls, outcomes)];
  }
}
