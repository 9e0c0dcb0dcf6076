/** Tools the model can call: the dispatch table, argument checks, errors the model can read, the timeline. */
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_CHARS, runTool, type ToolEffects, type ToolImage } from '../../lib/core/tools/dispatch.ts';
import { declarationsFor, TOOL_DECLARATIONS } from '../../lib/core/tools/declarations.ts';
import { parseElapsed, parseTimeOfDay, timelineOf } from '../../lib/core/tools/timeline.ts';
import { newConversation } from '../../lib/core/conversation/history.ts';
import type { Frame } from '../../lib/core/types.ts';

const IMAGE: ToolImage = { mimeType: 'image/jpeg', data: 'AAAA', width: 1536, height: 864 };
const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);

function effects(over: Partial<ToolEffects> = {}): ToolEffects & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    lookCloser: async (region) => (asked.push(region), IMAGE),
    readPage: async () => ({ title: 'Quarterly report', text: 'Revenue grew 12%.' }),
    timeline: async (since) => (asked.push(since), { scenes: [], images: [] }),
    startedAt: T0,
    now: T0 + 3600_000,
    ...over,
  };
}

describe('look_closer', () => {
  it('takes the whole screen, or the box asked for, and hands the picture on after a label', async () => {
    const fx = effects();
    const whole = await runTool({ name: 'look_closer', args: {} }, fx);
    expect(whole.response).toEqual({ output: 'A sharper picture of the whole screen (1536x864 px) follows.' });
    expect(whole.media).toEqual([{ label: expect.stringContaining('look_closer'), image: IMAGE }]);
    expect(whole.record).toEqual({ name: 'look_closer', args: {}, ok: true, summary: '1536×864 picture of the whole screen', picture: { width: 1536, height: 864 } });
    const part = await runTool({ name: 'look_closer', args: { box_2d: [0, 500, 500, 1000] } }, fx);
    expect(fx.asked).toEqual([undefined, { x: 0.5, y: 0, w: 0.5, h: 0.5 }]);
    expect(part.record.summary).toContain('left 50%, top 0%, 50% wide, 50% high');
  });

  it('a malformed box is an error the model can read, and nothing is grabbed', async () => {
    const fx = effects();
    const res = await runTool({ name: 'look_closer', args: { box_2d: [500, 0, 100, 1000] } }, fx);
    expect(res.response).toEqual({ error: expect.stringMatching(/box_2d must be/) });
    expect(res.record.ok).toBe(false);
    expect(fx.asked).toEqual([]);
  });
});

describe('read_page', () => {
  it('returns the title and text; long text is cut and says so', async () => {
    const ok = await runTool({ name: 'read_page' }, effects());
    expect(ok.response).toEqual({ output: { title: 'Quarterly report', text: 'Revenue grew 12%.' } });
    expect(ok.record.summary).toBe('read “Quarterly report” (17 characters)');
    expect(ok.record.title).toBe('Quarterly report');
    const long = await runTool({ name: 'read_page', args: {} }, effects({ readPage: async () => ({ title: 'T', text: 'x'.repeat(MAX_PAGE_CHARS + 5) }) }));
    expect((long.response.output as { text: string }).text).toHaveLength(MAX_PAGE_CHARS);
    expect(long.response.output).toHaveProperty('truncated');
  });

  it('a refusal (private site, hidden regions, no permission) reaches the model as an error', async () => {
    const res = await runTool({ name: 'read_page' }, effects({ readPage: async () => Promise.reject(new Error('The shared tab is on a private site.')) }));
    expect(res.response).toEqual({ error: 'The shared tab is on a private site.' });
    expect(res.record).toMatchObject({ ok: false, summary: 'The shared tab is on a private site.' });
  });
});

describe('timeline', () => {
  it('reads since as time since the start, or a time of day', async () => {
    const fx = effects();
    await runTool({ name: 'timeline', args: {} }, fx);
    await runTool({ name: 'timeline', args: { since: '1:30' } }, fx);
    await runTool({ name: 'timeline', args: { since: '1:02:03' } }, fx);
    await runTool({ name: 'timeline', args: { since_time_of_day: '09:30' } }, { ...fx, now: new Date(2026, 10, 29, 10, 0).getTime() });
    expect(fx.asked).toEqual([undefined, T0 + 90_000, T0 + 3723_000, new Date(2026, 10, 29, 9, 30).getTime()]);
    expect((await runTool({ name: 'timeline', args: { since: 'yesterday' } }, fx)).response.error).toMatch(/since must be/);
    expect((await runTool({ name: 'timeline', args: { since_time_of_day: '9.30' } }, fx)).response.error).toMatch(/since_time_of_day must be/);
  });

  it('lists scenes with their notes, and attached pictures after labels', async () => {
    const scenes = [
      { frameId: 'a', capturedAt: T0, at: '0:00', timeOfDay: '09:00:00', reason: 'sampled' as const, note: 'a slide', hasPicture: false },
      { frameId: 'b', capturedAt: T0 + 5000, at: '0:05', timeOfDay: '09:00:05', reason: 'sampled' as const, hasPicture: true },
    ];
    const res = await runTool({ name: 'timeline' }, effects({ timeline: async () => ({ scenes, images: [{ frameId: 'b', image: IMAGE }] }) }));
    expect(res.response.output).toEqual({
      scenes: [
        { at: '0:00', timeOfDay: '09:00:00', kind: 'sampled', showed: 'a slide' },
        { at: '0:05', timeOfDay: '09:00:05', kind: 'sampled', showed: '(picture attached)' },
      ],
    });
    expect(res.media).toEqual([{ label: '[Scene captured at 0:05 (09:00:05)]', image: IMAGE }]);
    expect(res.record.summary).toBe('2 scenes');
    expect(res.record.scenes).toBe(2);
  });
});

describe('point_at and the table', () => {
  it('point_at keeps a good box and refuses a bad one with a reason', async () => {
    const good = await runTool({ name: 'point_at', args: { label: 'Export', box_2d: [10, 900, 60, 990] } }, effects());
    expect(good.boxes).toEqual([{ label: 'Export', box: { x: 0.9, y: 0.01, w: 0.09, h: 0.05 } }]);
    expect(good.record).toMatchObject({ ok: true, summary: 'marked “Export”' });
    const bad = await runTool({ name: 'point_at', args: { label: 'Export', box_2d: [10, 900, 60, 1990] } }, effects());
    expect(bad.boxes).toBeUndefined();
    expect(bad.response.error).toMatch(/Nothing was marked/);
  });

  it('an unknown function or a failing effect is an error, never a throw', async () => {
    expect((await runTool({ name: 'delete_everything' }, effects())).response).toEqual({ error: 'There is no function called delete_everything.' });
    expect((await runTool({}, effects())).record.name).toBe('(unnamed)');
    const broken = effects({ lookCloser: async () => { throw new Error('No frame yet: the shared source did not answer.'); } });
    expect((await runTool({ name: 'look_closer' }, broken)).response).toEqual({ error: 'No frame yet: the shared source did not answer.' });
  });

  it('declares each function once, in a stable order', () => {
    expect(declarationsFor(new Set(['timeline', 'look_closer'])).map((d) => d.name)).toEqual(['look_closer', 'timeline']);
    expect(Object.values(TOOL_DECLARATIONS).every((d) => d.description && d.parameters)).toBe(true);
  });
});

describe('timelineOf', () => {
  it('gives the kept scenes since a time, without region crops, with notes and whether pixels are held', () => {
    const s = newConversation(T0, 's');
    const frame = (id: string, at: number, reason: Frame['reason'], extra: Partial<Frame> = {}): Frame => ({ id, capturedAt: T0 + at, width: 10, height: 10, mimeType: 'image/jpeg', data: '', source: 'tab', reason, ...extra });
    s.frames = [frame('a', 1000, 'sampled', { note: 'login page' }), frame('b', 65_000, 'question', { data: 'xx' }), frame('c', 65_010, 'region', { data: 'yy' })];
    expect(timelineOf(s).map((x) => [x.frameId, x.at, x.note, x.hasPicture])).toEqual([['a', '0:01', 'login page', false], ['b', '1:05', undefined, true]]);
    expect(timelineOf(s, T0 + 60_000).map((x) => x.frameId)).toEqual(['b']);
  });

  it('parses times', () => {
    expect(parseElapsed('10:42')).toBe(642_000);
    expect(parseElapsed('1:00:05')).toBe(3605_000);
    expect(parseElapsed('10:99')).toBeUndefined();
    const now = new Date(2026, 10, 29, 10, 50).getTime();
    expect(parseTimeOfDay('10:42', now)).toBe(new Date(2026, 10, 29, 10, 42).getTime());
    expect(parseTimeOfDay('11:00', now)).toBe(new Date(2026, 10, 28, 11, 0).getTime());
    expect(parseTimeOfDay('25:00', now)).toBeUndefined();
  });
});
