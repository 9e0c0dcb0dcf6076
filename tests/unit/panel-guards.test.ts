import { describe, expect, it } from 'vitest';
import { isPanelCommand, isPanelEvent } from '../../lib/protocol/panel-guards.ts';
import type { PanelCommand, PanelEvent } from '../../lib/protocol/messages.ts';
import { makeState, makeTurn } from './fake-panel-port.ts';

const commands: PanelCommand[] = [
  { type: 'share', source: 'tab' },
  { type: 'share', source: 'camera' },
  { type: 'pause' },
  { type: 'resume' },
  { type: 'stop-sharing' },
  { type: 'ask', text: 'What is this?' },
  { type: 'ask', text: 'Closer?', closer: true },
  { type: 'set-redactions', regions: [{ x: 0.1, y: 0.1, w: 0.2, h: 0.2 }] },
  { type: 'list-conversations' },
  { type: 'open-conversation', id: 's1' },
  { type: 'delete-conversation', id: 's1' },
  { type: 'delete-all' },
  { type: 'stop-answer' },
  { type: 'new-conversation' },
  { type: 'dismiss-notice' },
];

const events: PanelEvent[] = [
  { type: 'state', state: makeState() },
  { type: 'turn', turn: makeTurn() },
  { type: 'answer-delta', turnId: 't1', text: 'I see' },
  { type: 'thumbnail', thumbnail: { dataUrl: 'data:image/jpeg;base64,AAAA', capturedAt: 5 } },
  { type: 'thumbnail' },
  { type: 'conversations', sessions: [] },
];

describe('panel message guards', () => {
  it.each(commands)('accepts the command %j', (c) => {
    expect(isPanelCommand(structuredClone(c))).toBe(true);
  });

  it.each([
    null,
    undefined,
    'pause',
    42,
    [],
    {},
    { type: 'format-disk' },
    { type: 'share', source: 'microphone' },
    { type: 'share' },
    { type: 'ask' },
    { type: 'ask', text: 5 },
    { type: 'ask', text: 'x', closer: 'yes' },
    { type: 'set-redactions', regions: 'all' },
    { type: 'open-conversation' },
    { type: 'delete-conversation', id: 7 },
    { type: 'toString' },
    { type: '__proto__' },
    Object.create({ type: 'pause' }), // inherited, not its own
  ])('ignores %j', (m) => {
    expect(isPanelCommand(m)).toBe(false);
  });

  it.each(events)('accepts the event %j', (e) => {
    expect(isPanelEvent(structuredClone(e))).toBe(true);
  });

  it.each([null, {}, { type: 'state' }, { type: 'answer-delta', turnId: 't1' }, { type: 'thumbnail', thumbnail: { dataUrl: 'x' } }, { type: 'pause' }])(
    'ignores the event %j',
    (m) => {
      expect(isPanelEvent(m)).toBe(false);
    },
  );
});
