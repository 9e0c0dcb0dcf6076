/** The model's function calls as sentences under an answer (lib/panel/tool-lines.ts), in English and German. */
import { afterAll, describe, expect, it } from 'vitest';
import { placeWords, toolLine } from '../../lib/panel/tool-lines.ts';
import { useLocale } from '../support/i18n-messages.ts';

describe('toolLine: what the model did, in words', () => {
  afterAll(() => useLocale('en'));

  it('says each known call as a sentence, with no function names or box_2d', () => {
    expect(toolLine({ name: 'point_at', args: { label: 'Green quarter', box_2d: [0, 500, 500, 1000] }, ok: true, summary: 'marked “Green quarter”' })).toBe('Marked “Green quarter”');
    expect(toolLine({ name: 'look_closer', args: { box_2d: [500, 500, 1000, 1000] }, ok: true, summary: '767×492 picture of …', picture: { width: 767, height: 492 } })).toBe(
      'Looked closer at the bottom right quarter (a 767×492 picture)',
    );
    expect(toolLine({ name: 'look_closer', args: {}, ok: true, summary: '1536×864 picture of the whole screen', picture: { width: 1536, height: 864 } })).toBe(
      'Looked closer at the whole screen (a 1536×864 picture)',
    );
    expect(toolLine({ name: 'read_page', args: {}, ok: true, summary: 'read “Q3” (10 characters)', title: 'Q3 results' })).toBe('Read the page “Q3 results”');
    expect(toolLine({ name: 'read_page', args: {}, ok: true, summary: 'read “untitled” (10 characters)', title: '' })).toBe('Read the page');
    expect(toolLine({ name: 'timeline', args: { since_time_of_day: '10:42' }, ok: true, summary: '3 scenes since 10:42', scenes: 3 })).toBe('Checked the timeline since 10:42 (3 scenes)');
    expect(toolLine({ name: 'timeline', args: {}, ok: true, summary: '1 scene', scenes: 1 })).toBe('Checked the timeline (1 scene)');
  });

  it('says why a call failed', () => {
    expect(toolLine({ name: 'read_page', args: {}, ok: false, summary: 'The shared tab is on a private site.' })).toBe('Could not read the page: The shared tab is on a private site.');
    expect(toolLine({ name: 'look_closer', args: { box_2d: [1, 2] }, ok: false, summary: 'box_2d must be …' })).toBe('Could not look closer: box_2d must be …');
    expect(toolLine({ name: 'open_door', args: {}, ok: false, summary: 'There is no function called open_door.' })).toBe('Could not run open_door: There is no function called open_door.');
  });

  it('describes regions in words', () => {
    expect(placeWords({ x: 0, y: 0, w: 1, h: 0.5 })).toBe('the top half');
    expect(placeWords({ x: 0.85, y: 0.85, w: 0.1, h: 0.1 })).toBe('the bottom right');
    expect(placeWords({ x: 0.4, y: 0.4, w: 0.2, h: 0.2 })).toBe('the centre');
  });

  it('speaks German too', () => {
    useLocale('de');
    expect(toolLine({ name: 'look_closer', args: { box_2d: [500, 500, 1000, 1000] }, ok: true, summary: '', picture: { width: 767, height: 492 } })).toBe(
      'Genauer hingesehen: das Viertel unten rechts (ein Bild mit 767×492)',
    );
    expect(toolLine({ name: 'point_at', args: { label: 'Export' }, ok: true, summary: '' })).toBe('„Export“ markiert');
  });
});
