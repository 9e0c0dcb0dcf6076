/** One streamed answer, handing on only what the person should see. Pure apart from the injected call. */
import type { StreamRequest, StreamResult } from '../transport/gemini.ts';
import { parseAnswer } from '../core/conversation/history.ts';
import type { Usage } from '../core/types.ts';

export interface VisibleAnswer {
  answer: string;
  sceneNote?: string;
  usage?: Usage;
}

/**
 * Streams through `call`, reporting the visible answer as it grows: the trailing scene note, and a last line
 * that may be growing into one, are held back (parseAnswer), so the panel never shows them.
 */
export async function streamVisibleAnswer(
  call: (req: StreamRequest) => Promise<StreamResult>,
  req: Omit<StreamRequest, 'onDelta'>,
  onVisible: (visible: string) => void,
): Promise<VisibleAnswer> {
  let raw = '';
  let shown = '';
  const result = await call({
    ...req,
    onDelta: (delta) => {
      raw += delta;
      const visible = parseAnswer(raw).answer;
      if (visible === shown) return;
      shown = visible;
      onVisible(visible);
    },
  });
  return { ...parseAnswer(result.text), usage: result.usage };
}
