// The answer's audio timeline: back-to-back chunks, gaps counted only inside an answer, and
// barge-in drops everything queued and refuses the old generation.
import { describe, expect, it } from 'vitest';
import { PlaybackScheduler } from '../../lib/core/live/playback.ts';

const RATE = 24000;
const ms = (n: number) => (n * RATE) / 1000; // samples in n ms

describe('PlaybackScheduler', () => {
  it('starts the first chunk after the lead, and the next exactly where the last one ends', () => {
    const s = new PlaybackScheduler({ leadSec: 0.02 });
    const a = s.schedule(ms(100), 10)!;
    expect(a.startAt).toBeCloseTo(10.02, 9);
    expect(a.endAt).toBeCloseTo(10.12, 9);
    // The next chunk arrives early (jittery network): it is queued exactly at the end, no overlap.
    const b = s.schedule(ms(40), 10.03)!;
    expect(b.startAt).toBe(a.endAt);
    const c = s.schedule(ms(40), 10.05)!;
    expect(c.startAt).toBe(b.endAt);
    expect(s.queuedSec(10.05)).toBeCloseTo(0.15, 9);
    expect(s.stats).toMatchObject({ chunks: 3, gaps: 0, gapSec: 0 });
  });

  it('is gapless over a long, jittery answer as long as audio arrives faster than it plays', () => {
    // The server sends 40 ms chunks about every 20 ms, each up to 30 ms late (bursts and stalls).
    const s = new PlaybackScheduler();
    let now = 0;
    let last: number | undefined;
    for (let i = 0; i < 500; i++) {
      now = Math.max(now, 0.02 * i + ((i * 7919) % 31) / 1000);
      const chunk = s.schedule(ms(40), now)!;
      if (last !== undefined) expect(chunk.startAt).toBe(last);
      last = chunk.endAt;
    }
    expect(s.stats.gaps).toBe(0);
  });

  it('counts a hole in the middle of an answer as a gap, but not the wait before the next answer', () => {
    const s = new PlaybackScheduler({ leadSec: 0.02 });
    s.schedule(ms(100), 0); // plays 0.02..0.12
    const late = s.schedule(ms(100), 0.2)!; // queue ran dry at 0.12, next can start at 0.22
    expect(late.startAt).toBeCloseTo(0.22, 9);
    expect(late.gapSec).toBeCloseTo(0.1, 9);
    s.endTurn();
    const nextAnswer = s.schedule(ms(100), 5)!;
    expect(nextAnswer.gapSec).toBe(0);
    expect(s.stats).toMatchObject({ gaps: 1 });
    expect(s.stats.gapSec).toBeCloseTo(0.1, 9);
  });

  it('interrupt() returns every chunk still queued or playing, and nothing that already finished', () => {
    const s = new PlaybackScheduler({ leadSec: 0 });
    const a = s.schedule(ms(100), 0)!; // 0..0.1
    const b = s.schedule(ms(100), 0)!; // 0.1..0.2
    const c = s.schedule(ms(100), 0)!; // 0.2..0.3
    s.ended(a.id);
    const cut = s.interrupt(0.15);
    expect(cut.map((x) => x.id)).toEqual([b.id, c.id]);
    expect(s.stats.dropped).toBe(2);
    expect(s.stats.droppedSec).toBeCloseTo(0.05 + 0.1, 9);
    expect(s.queuedSec(0.15)).toBe(0);
  });

  it('after interrupt() refuses audio of the old generation and plays the new answer at once', () => {
    const s = new PlaybackScheduler({ leadSec: 0.02 });
    const oldGen = s.generation;
    s.schedule(ms(500), 0);
    s.interrupt(0.1);
    // A chunk decoded before the interrupt but delivered after it: never played.
    expect(s.schedule(ms(40), 0.11, oldGen)).toBeNull();
    const fresh = s.schedule(ms(40), 0.12)!;
    expect(fresh.generation).toBe(oldGen + 1);
    expect(fresh.startAt).toBeCloseTo(0.14, 9); // not after the cut answer's end (0.52)
    expect(fresh.gapSec).toBe(0);
    expect(s.stats.dropped).toBe(2); // the cut chunk and the stale one
  });

  it('forgets finished chunks even without ended() so interrupt() does not stop them again', () => {
    const s = new PlaybackScheduler({ leadSec: 0 });
    s.schedule(ms(100), 0);
    expect(s.interrupt(1)).toEqual([]);
  });
});
