// Both transcripts of a Live conversation as lines: the person's words (`inputTranscription`) and the
// model's spoken answer (`outputTranscription`; the newest Live models answer only with audio, so
// this is the answer's text: https://ai.google.dev/gemini-api/docs/live-guide#audio-transcription).
// Fragments stream in; a line closes when the turn completes, is interrupted (barge-in) or its
// connection is cut. Nothing is dropped: a cut line stays, marked 'cut'. When a resumed session
// hears the replayed audio and transcribes the same words again, the echo is folded into the line.
// Pure; the driver passes only messages of the current connection (lib/core/live/session.ts).

/** How a line ended. 'partial' while it is still streaming. */
export type LineStatus = 'partial' | 'complete' | 'interrupted' | 'cut';

/** One line of the conversation log. */
export interface TranscriptLine {
  id: number;
  role: 'user' | 'model';
  text: string;
  status: LineStatus;
  /** Connection (reconnect machine generation) the newest text came from. */
  generation: number;
  /** When the first fragment arrived (ms, caller's clock). */
  startedAt: number;
}

/** The transcription parts of one `serverContent` message. */
export interface TranscriptContent {
  inputTranscription?: { text?: string; finished?: boolean };
  outputTranscription?: { text?: string; finished?: boolean };
  turnComplete?: boolean;
  interrupted?: boolean;
}

const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Accumulates transcript fragments into lines. */
export class LiveTranscript {
  private readonly list: TranscriptLine[] = [];
  private user: TranscriptLine | null = null;
  private model: TranscriptLine | null = null;
  private nextId = 1;
  /** A user line whose answer was cut: the resumed session may transcribe the same words again. */
  private echoOf: TranscriptLine | null = null;

  /** Every line so far, oldest first (open ones have status 'partial'). */
  get lines(): readonly TranscriptLine[] { return this.list; }

  /**
   * Takes one `serverContent` of connection `generation` at time `now` (ms). Returns the lines that
   * changed (new text or a new status), for the caller to show and persist.
   */
  onServerContent(generation: number, c: TranscriptContent, now: number): TranscriptLine[] {
    const changed = new Set<TranscriptLine>();
    const input = c.inputTranscription?.text;
    if (input) {
      this.user ??= this.open('user', generation, now);
      this.user.text += input;
      this.user.generation = generation;
      changed.add(this.user);
    }
    if (c.inputTranscription?.finished && this.user) this.closeUser(changed);
    const output = c.outputTranscription?.text;
    if (output) {
      // The model speaking means the person's turn is over.
      if (this.user) this.closeUser(changed);
      this.model ??= this.open('model', generation, now);
      this.model.text += output;
      this.model.generation = generation;
      changed.add(this.model);
    }
    if (c.interrupted) this.closeModel('interrupted', changed);
    if (c.turnComplete) {
      if (this.user) this.closeUser(changed);
      this.closeModel('complete', changed);
    }
    return [...changed];
  }

  /** Connection `generation` ended mid-turn: its open lines are kept, marked 'cut'. */
  cut(generation: number): TranscriptLine[] {
    const changed: TranscriptLine[] = [];
    const lastUser = [...this.list].reverse().find((l) => l.role === 'user' && l.status !== 'partial');
    for (const line of [this.user, this.model]) {
      if (line && line.generation === generation) { line.status = 'cut'; changed.push(line); }
    }
    if (this.model?.status === 'cut') this.echoOf = this.user ?? lastUser ?? null;
    else if (this.user?.status === 'cut') this.echoOf = this.user;
    if (this.user?.status === 'cut') this.user = null;
    if (this.model?.status === 'cut') this.model = null;
    return changed;
  }

  private open(role: 'user' | 'model', generation: number, now: number): TranscriptLine {
    const line: TranscriptLine = { id: this.nextId++, role, text: '', status: 'partial', generation, startedAt: now };
    this.list.push(line);
    return line;
  }

  private closeUser(changed: Set<TranscriptLine>): void {
    const line = this.user!;
    this.user = null;
    const echo = this.echoOf;
    this.echoOf = null;
    // The replayed audio transcribed again: the earlier line already holds these words.
    if (echo && echo !== line && norm(echo.text) && norm(line.text).startsWith(norm(echo.text))) {
      echo.text = line.text;
      echo.status = 'complete';
      echo.generation = line.generation;
      this.list.splice(this.list.indexOf(line), 1);
      changed.delete(line);
      changed.add(echo);
      return;
    }
    line.status = 'complete';
    changed.add(line);
  }

  private closeModel(status: LineStatus, changed: Set<TranscriptLine>): void {
    if (!this.model) return;
    this.model.status = status;
    changed.add(this.model);
    this.model = null;
  }
}

/**
 * The seed of a new Live session when the old one cannot be resumed (its handle refused or expired): the
 * summary the conversation started with (earlier typed turns), then this Live conversation's own lines so
 * far, newest kept when the whole would pass `maxChars`. Without the lines, a session restarted an hour into
 * a talk would know nothing of that hour.
 */
export function seedWithTranscript(base: string, lines: readonly TranscriptLine[], maxChars = 6000): string {
  const said = lines
    .filter((l) => l.text.trim())
    .map((l) => `${l.role === 'user' ? 'Person' : 'Gemini'}: ${l.text.trim()}${l.status === 'interrupted' || l.status === 'cut' ? ' (cut off)' : ''}`);
  const tail: string[] = [];
  let room = maxChars - (base ? base.length + 2 : 0);
  for (let i = said.length - 1; i >= 0 && room > said[i]!.length; i--) {
    tail.unshift(said[i]!);
    room -= said[i]!.length + 1;
  }
  const live = tail.length ? `This voice conversation so far:\n${tail.join('\n')}` : '';
  return [base, live].filter(Boolean).join('\n\n').slice(-maxChars);
}
