/**
 * Writes WebM audio the way Chromium's MediaRecorder does (measured: tests/fixtures/audio/chromium-opus-32k.json):
 * an EBML header, a Segment of unknown size with Info and an Opus track, then Clusters of unknown size with a
 * Timecode and SimpleBlocks. The "Opus" payloads are filler bytes: only the container is under test. Tests only.
 */

function vintSize(n: number): Uint8Array {
  for (let len = 1; len <= 8; len++) {
    if (n < 2 ** (7 * len) - 1) {
      const out = new Uint8Array(len);
      let v = n;
      for (let k = len - 1; k >= 0; k--) {
        out[k] = v % 256;
        v = Math.floor(v / 256);
      }
      out[0]! |= 0x80 >> (len - 1);
      return out;
    }
  }
  throw new Error('size too large');
}

function idBytes(id: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return new Uint8Array(bytes);
}

export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One element of known size. */
export function el(id: number, ...payload: Uint8Array[]): Uint8Array {
  const body = cat(...payload);
  return cat(idBytes(id), vintSize(body.length), body);
}

const UNKNOWN = new Uint8Array([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const text = (s: string) => new TextEncoder().encode(s);
const uint = (v: number, bytes = 2) => {
  const out = new Uint8Array(bytes);
  for (let k = bytes - 1, x = v; k >= 0; k--, x = Math.floor(x / 256)) out[k] = x % 256;
  return out;
};

/** EBML header, Segment of unknown size, Info (TimecodeScale 1 ms) and Tracks with one Opus track. */
export function webmInit(): Uint8Array {
  const ebml = el(0x1a45dfa3, el(0x4286, uint(1, 1)), el(0x42f7, uint(1, 1)), el(0x4282, text('webm')), el(0x4287, uint(4, 1)), el(0x4285, uint(2, 1)));
  const info = el(0x1549a966, el(0x2ad7b1, uint(1_000_000, 3)), el(0x4d80, text('Chrome')), el(0x5741, text('Chrome')));
  const tracks = el(0x1654ae6b, el(0xae, el(0xd7, uint(1, 1)), el(0x83, uint(2, 1)), el(0x86, text('A_OPUS')), el(0xe1, el(0xb5, new Uint8Array([0x47, 0x3b, 0x80, 0x00])))));
  return cat(ebml, idBytes(0x18538067), UNKNOWN, info, tracks);
}

/** A Cluster of unknown size at `timecodeMs` holding `blocks` SimpleBlocks `frameMs` apart, `bytesPerBlock` each. */
export function webmCluster(timecodeMs: number, blocks: number, frameMs = 50, bytesPerBlock = 200): Uint8Array {
  const parts: Uint8Array[] = [idBytes(0x1f43b675), UNKNOWN, el(0xe7, uint(timecodeMs, 4))];
  for (let b = 0; b < blocks; b++) {
    const payload = new Uint8Array(bytesPerBlock).fill((timecodeMs / 1000 + b) % 251);
    parts.push(el(0xa3, new Uint8Array([0x81]), uint(b * frameMs, 2), new Uint8Array([0x80]), payload));
  }
  return cat(...parts);
}

/** `seconds` of recording: the init segment and one Cluster a second (blocks of `frameMs`). */
export function webmRecording(seconds: number, opts: { frameMs?: number; bytesPerBlock?: number; startMs?: number } = {}): Uint8Array {
  const frameMs = opts.frameMs ?? 50;
  const perCluster = Math.round(1000 / frameMs);
  const clusters: Uint8Array[] = [];
  for (let s = 0; s < seconds; s++) clusters.push(webmCluster((opts.startMs ?? 0) + s * 1000, perCluster, frameMs, opts.bytesPerBlock));
  return cat(webmInit(), ...clusters);
}

/** Cuts bytes into pieces of the given sizes (the rest in one last piece), as `dataavailable` blobs arrive. */
export function cutInto(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const n of sizes) {
    if (at >= bytes.length) break;
    out.push(bytes.slice(at, at + n));
    at += n;
  }
  if (at < bytes.length) out.push(bytes.slice(at));
  return out;
}
