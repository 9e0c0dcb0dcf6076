/**
 * Conversations on disk (IndexedDB via idb-keyval). Frames' pixels are personal data: they are written
 * only when the user turned "Keep frames on disk" on; otherwise a stored frame keeps its time and note only.
 */
import { createStore, del, get, keys, set, clear, type UseStore } from 'idb-keyval';
import type { Session } from '../core/types.ts';

let store: UseStore | undefined;
function db(): UseStore {
  store ??= createStore('sightline', 'sessions');
  return store;
}

const CURRENT = 'current';
const sessionKey = (id: string) => `session:${id}`;

/** What is written for a session: frames without bytes unless the user keeps frames. */
export function toStored(session: Session, keepFrames: boolean): Session {
  if (keepFrames) return session;
  return { ...session, frames: session.frames.map((f) => ({ ...f, data: '' })) };
}

export async function saveSession(session: Session, keepFrames: boolean): Promise<void> {
  await set(sessionKey(session.id), toStored(session, keepFrames), db());
  await set(CURRENT, session.id, db());
}

export async function loadSession(id: string): Promise<Session | undefined> {
  return get<Session>(sessionKey(id), db());
}

export async function loadCurrentSession(): Promise<Session | undefined> {
  const id = await get<string>(CURRENT, db());
  return id ? loadSession(id) : undefined;
}

export async function listSessions(): Promise<Array<Pick<Session, 'id' | 'title' | 'createdAt' | 'updatedAt'>>> {
  const all = (await keys(db())).filter((k): k is string => typeof k === 'string' && k.startsWith('session:'));
  const sessions = await Promise.all(all.map((k) => get<Session>(k, db())));
  return sessions
    .filter((s): s is Session => Boolean(s))
    .map(({ id, title, createdAt, updatedAt }) => ({ id, title, createdAt, updatedAt }))
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function deleteSession(id: string): Promise<void> {
  await del(sessionKey(id), db());
  if ((await get<string>(CURRENT, db())) === id) await del(CURRENT, db());
}

export async function deleteAllSessions(): Promise<void> {
  await clear(db());
}
