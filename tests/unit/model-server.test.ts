/**
 * Settings' model-server section: the pure decisions (lib/core/model-server.ts: host-permission pattern, what a
 * server's answer means, how vision is stored, which model stays selected) and the panel's checks against the
 * stand-in OpenAI-compatible server (lib/panel/model-server.ts), which also answers Ollama's own routes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { checkOfStatus, pickModel, serverPermissionPattern, serverRoot, visionChecked, visionSetting } from '../../lib/core/model-server.ts';
import { checkServer, modelSeesPictures } from '../../lib/panel/model-server.ts';

describe('the model server decisions (pure)', () => {
  it('asks for one host, every port and path, and only for http(s)', () => {
    expect(serverPermissionPattern('http://localhost:11434/v1')).toBe('http://localhost/*');
    expect(serverPermissionPattern(' https://openrouter.ai/api/v1 ')).toBe('https://openrouter.ai/*');
    expect(serverPermissionPattern('http://[::1]:1234/v1')).toBe('http://[::1]/*');
    expect(serverPermissionPattern('file:///etc/passwd')).toBeUndefined();
    expect(serverPermissionPattern('localhost:11434')).toBeUndefined(); // no scheme: "localhost:" parses as one
    expect(serverPermissionPattern('')).toBeUndefined();
    expect(serverRoot('http://localhost:11434/v1')).toBe('http://localhost:11434');
    expect(serverRoot('not a url')).toBeUndefined();
  });

  it("reads a bare 403 as Ollama's refusal of the extension, a 403 with a reason as a refused key", () => {
    expect(checkOfStatus(403, '')).toEqual({ kind: 'ollama-origins' });
    expect(checkOfStatus(403, '  \n')).toEqual({ kind: 'ollama-origins' });
    expect(checkOfStatus(403, '{"error":{"message":"invalid key"}}')).toEqual({ kind: 'refused-key', status: 403 });
    expect(checkOfStatus(401, '')).toEqual({ kind: 'refused-key', status: 401 });
    expect(checkOfStatus(404, 'not found')).toEqual({ kind: 'not-openai' });
    expect(checkOfStatus(502, '')).toEqual({ kind: 'server-error', status: 502 });
  });

  it("stores what Ollama knows about vision, else the checkbox, else 'auto'", () => {
    expect(visionSetting(true, false)).toBe('yes');
    expect(visionSetting(false, true)).toBe('no');
    expect(visionSetting(undefined, true)).toBe('yes');
    expect(visionSetting(undefined, false)).toBe('no');
    expect(visionSetting(undefined, undefined)).toBe('auto');
    expect([visionChecked('auto'), visionChecked('yes'), visionChecked('no')]).toEqual([true, true, false]);
  });

  it('keeps the chosen model when the server lists it, else takes its first', () => {
    expect(pickModel('llava:7b', ['llama3.2:3b', 'llava:7b'])).toBe('llava:7b');
    expect(pickModel('', ['llama3.2:3b', 'llava:7b'])).toBe('llama3.2:3b');
    expect(pickModel('gone', [])).toBe('gone');
  });
});

describe("the panel's checks of a server", () => {
  let fake: FakeOpenAi;
  beforeAll(async () => (fake = await startFakeOpenAi()));
  afterAll(() => fake.close());
  beforeEach(() => (fake.refuse = 'none'));

  it('lists the models and recognises Ollama by its /api/version', async () => {
    expect(await checkServer(`${fake.url}/v1`, '')).toEqual({ kind: 'ok', models: ['llama3.2:3b', 'llava:7b'], ollama: true });
  });

  it("asks Ollama's model info whether a model sees pictures, and nothing of a server that is not Ollama", async () => {
    expect(await modelSeesPictures(`${fake.url}/v1`, 'llava:7b', true)).toBe(true);
    expect(await modelSeesPictures(`${fake.url}/v1`, 'llama3.2:3b', true)).toBe(false);
    expect(await modelSeesPictures(`${fake.url}/v1`, 'llava:7b', false)).toBeUndefined();
    expect(await modelSeesPictures(`${fake.url}/v1`, '', true)).toBeUndefined();
  });

  it("turns Ollama's bare 403 into the OLLAMA_ORIGINS fix", async () => {
    fake.refuse = 'all';
    expect(await checkServer(`${fake.url}/v1`, '')).toEqual({ kind: 'ollama-origins' });
  });

  it('says when the address has no OpenAI-compatible API, when nothing answers, and when it is no URL', async () => {
    expect(await checkServer(`${fake.url}/nope`, '')).toEqual({ kind: 'not-openai' });
    // Nothing listens on port 9; the fake browser grants no host permission, so allowing access is offered.
    expect(await checkServer('http://127.0.0.1:9/v1', '')).toEqual({ kind: 'unreachable', needsAccess: true });
    expect(await checkServer('ollama', '')).toEqual({ kind: 'bad-url' });
  });
});
