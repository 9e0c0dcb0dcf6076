/**
 * Scrolling that keeps the reader's place in the conversation log:
 * - a question asked here scrolls to the top of the view and its answer grows beneath it (the log does
 *   not chase the newest words, which would push the question and the answer's start out of view);
 * - on opening the panel or another conversation, the newest question is in view;
 * - a resize keeps what the reader was looking at: the bottom, or the question at the top;
 * - far from the newest words, a "Jump to newest" button is offered.
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Turn } from '../core/types.ts';

/** Within this many px of the end counts as "at the bottom". */
const AT_BOTTOM_PX = 24;
/** Further than this share of a screen from the end counts as "far up". */
const FAR_SCREENS = 0.5;

/** A scroll this soon after the reader's wheel, touch, pointer or key counts as theirs. */
const INTENT_MS = 600;

/** What the view holds on to: the end of the log, a question at the top, or wherever the reader scrolled. */
type Place = { at: 'bottom' } | { at: 'question'; id: string } | { at: 'free' };

export interface LogScroll {
  ref: { current: HTMLDivElement | null };
  /** The turn asked in this panel: it is given a screen's height so its question can sit at the top. */
  pinnedId: string | undefined;
  farFromNewest: boolean;
  onScroll: () => void;
  jumpToNewest: () => void;
}

const paddingTop = (el: HTMLElement) => Number.parseFloat(getComputedStyle(el).paddingTop) || 0;
const bottomOf = (el: HTMLElement) => el.scrollHeight - el.clientHeight;

function turnElement(el: HTMLElement, id: string | undefined): HTMLElement | null {
  if (!id) return null;
  for (const turn of el.querySelectorAll<HTMLElement>('[data-turn-id]')) if (turn.dataset.turnId === id) return turn;
  return null;
}

/** Scroll state of the log for `sessionId`'s `turns`; attach `ref` and `onScroll` to the scrolling element. */
export function useLogScroll(sessionId: string | undefined, turns: Turn[]): LogScroll {
  const ref = useRef<HTMLDivElement>(null);
  const placedFor = useRef<string | undefined>(undefined);
  const known = useRef(0);
  const place = useRef<Place>({ at: 'bottom' });
  /**
   * Until when a scroll is the reader's. Scrolls without their input (the browser clamping or anchoring the
   * position as the panel is resized, this hook's own) do not change the place to keep.
   */
  const intentUntil = useRef(0);
  const [pinnedId, setPinnedId] = useState<string | undefined>(undefined);
  const [farFromNewest, setFar] = useState(false);
  const last = turns.at(-1);

  const measure = useCallback(() => {
    const el = ref.current;
    if (el) setFar(bottomOf(el) - el.scrollTop > el.clientHeight * FAR_SCREENS);
  }, []);

  /** Scrolls to where `p` says, and makes it the place to keep. */
  const hold = useCallback(
    (p: Place) => {
      const el = ref.current;
      if (!el) return;
      place.current = p;
      if (p.at === 'bottom') el.scrollTop = bottomOf(el);
      const turn = p.at === 'question' ? turnElement(el, p.id) : null;
      if (turn) el.scrollTop = Math.min(bottomOf(el), turn.offsetTop - paddingTop(el));
      measure();
    },
    [measure],
  );

  /** The newest turn: all of it when it fits, else its question at the top. */
  const showNewest = useCallback(() => {
    const el = ref.current;
    const turn = el && turnElement(el, last?.id);
    if (!el || !turn || !last) return hold({ at: 'bottom' });
    hold(turn.offsetHeight <= el.clientHeight - paddingTop(el) ? { at: 'bottom' } : { at: 'question', id: last.id });
  }, [hold, last?.id]);

  // After every change of the turns: place the view.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.setProperty('--log-h', `${el.clientHeight}px`);
    if (sessionId !== placedFor.current) {
      placedFor.current = sessionId;
      setPinnedId(undefined);
      showNewest();
    } else if (turns.length > known.current && last && (last.status === 'waiting' || last.status === 'streaming')) {
      setPinnedId(last.id); // the effect below scrolls once the turn has its height
    } else if (place.current.at === 'bottom') {
      hold(place.current);
    } else {
      measure();
    }
    known.current = turns.length;
  }, [sessionId, turns.length, last?.answer, last?.status, last?.error, showNewest, hold, measure]);

  // The question just asked goes to the top of the view.
  useLayoutEffect(() => {
    if (pinnedId) hold({ at: 'question', id: pinnedId });
  }, [pinnedId, hold]);

  // A resize (the panel's width, the ask box growing) keeps the place the reader had.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      el.style.setProperty('--log-h', `${el.clientHeight}px`);
      if (place.current.at === 'free') measure();
      else hold(place.current);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hold, measure]);

  // The reader's own input: what makes the next scrolls theirs.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const intent = () => (intentUntil.current = Date.now() + INTENT_MS);
    const events = ['wheel', 'touchmove', 'pointerdown', 'keydown'] as const;
    for (const type of events) el.addEventListener(type, intent, { passive: true });
    return () => {
      for (const type of events) el.removeEventListener(type, intent);
    };
  }, []);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    // The reader scrolled: at the end, stay at the end; anywhere else, stay where they are.
    if (Date.now() < intentUntil.current) place.current = bottomOf(el) - el.scrollTop <= AT_BOTTOM_PX ? { at: 'bottom' } : { at: 'free' };
    measure();
  }, [measure]);

  const jumpToNewest = useCallback(() => hold({ at: 'bottom' }), [hold]);

  return { ref, pinnedId, farFromNewest, onScroll, jumpToNewest };
}
