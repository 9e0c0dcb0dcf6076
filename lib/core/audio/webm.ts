/**
 * Reading MediaRecorder's WebM (Opus) stream as it arrives, so any window of it can be sent on its own. Pure.
 *
 * What the recorder writes (measured in Chromium 156, `audio/webm;codecs=opus`, 1 s timeslices): an EBML
 * header, a Segment of unknown size holding Info and Tracks (the "init segment"), then Clusters of unknown
 * size, about one a second, each a Timecode and SimpleBlocks. `dataavailable` blobs cut the stream at any
 * byte, mid-element; only the first blob has the header (MDN, MediaRecorder "dataavailable event").
 * So the stream is parsed byte by byte into the init segment and whole Clusters: the init segment followed
 * by any run of Clusters is a playable file, because a Segment or Cluster of unknown size simply ends where
 * the next element of its level (or the data) begins.
 * Element IDs and layout: Matroska/EBML, RFC 9559 (https://www.rfc-editor.org/rfc/rfc9559) and RFC 8794.
 */

export const EBML_ID = 0x1a45dfa3;
export const SEGMENT_ID = 0x18538067;
export const CLUSTER_ID = 0x1f43b675;
const INFO_ID = 0x1549a966;
const TRACKS_ID = 0x1654ae6b;
const TIMECODE_SCALE_ID = 0x2ad7b1;
const TIMECODE_ID = 0xe7;
const SIMPLE_BLOCK_ID = 0xa3;
const BLOCK_GROUP_ID = 0xa0;
const BLOCK_ID = 0xa1;
const DOC_TYPE_ID = 0x4282;
const CODEC_ID = 0x86;
const TRACK_ENTRY_ID = 0xae;
/** Elements that sit beside Clusters in a Segment: one of them ends a Cluster of unknown size. */
const SEGMENT_CHILDREN = new Set([CLUSTER_ID, INFO_ID, TRACKS_ID, 0x114d9b74, 0x1c53bb6b, 0x1254c367, 0x1043a770, 0x1941a469]);
/** A Segment header saying "size unknown": what a live recording writes, and what makes windows valid. */
const SEGMENT_UNKNOWN = new Uint8Array([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
/** Default TimecodeScale: 1,000,000 ns, so timecodes are milliseconds (RFC 9559, TimestampScale). */
const DEFAULT_SCALE_NS = 1_000_000;
/** Duration assumed for the last block of a window when blocks' spacing is unknown (an Opus frame, ms). */
const DEFAULT_FRAME_MS = 20;

/** One whole Cluster: its bytes as recorded, and the time its audio covers (ms on the recording's clock). */
export interface WebmCluster {
  bytes: Uint8Array;
  startMs: number;
  endMs: number;
}

interface Vint {
  value: number;
  length: number;
  unknown: boolean;
}

/** An EBML variable-length integer at `i`: an element ID (marker kept) or a size (marker dropped). */
function readVint(b: Uint8Array, i: number, keepMarker: boolean): Vint | undefined {
  if (i >= b.length) return undefined;
  const first = b[i]!;
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  if (length > 8 || i + length > b.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let k = 1; k < length; k++) {
    value = value * 256 + b[i + k]!;
    if (b[i + k] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

/** The header of the element at `i`: id, where its data starts, its size (undefined: unknown), or undefined if incomplete. */
function readHeader(b: Uint8Array, i: number): { id: number; data: number; size: number | undefined } | undefined {
  const id = readVint(b, i, true);
  if (!id) return undefined;
  const size = readVint(b, i + id.length, false);
  if (!size) return undefined;
  return { id: id.value, data: i + id.length + size.length, size: size.unknown ? undefined : size.value };
}

function readUint(b: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let k = from; k < to; k++) v = v * 256 + b[k]!;
  return v;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The first child with `id` among the elements in b[from, to), recursing into `into` containers. */
function findChild(b: Uint8Array, from: number, to: number, id: number, into: ReadonlySet<number>): { data: number; end: number } | undefined {
  let i = from;
  while (i < to) {
    const h = readHeader(b, i);
    if (!h || h.size === undefined) return undefined;
    const end = h.data + h.size;
    if (h.id === id) return { data: h.data, end };
    if (into.has(h.id)) {
      const found = findChild(b, h.data, Math.min(end, to), id, into);
      if (found) return found;
    }
    i = end;
  }
  return undefined;
}

/**
 * Splits a WebM byte stream, pushed in pieces cut anywhere, into its init segment and whole Clusters.
 * Clusters of known or unknown size both work; a Cluster of unknown size is complete when the next
 * Segment-level element starts. Throws nothing: bytes that are not WebM are held until `reset`.
 */
export class WebmSplitter {
  /** Everything before the first Cluster, the Segment's size rewritten to unknown; undefined until complete. */
  init: Uint8Array | undefined;
  /** Nanoseconds per timecode unit (Info's TimecodeScale). */
  scaleNs = DEFAULT_SCALE_NS;
  private pending: Uint8Array = new Uint8Array(0);
  private initParts: Uint8Array[] = [];
  private inSegment = false;
  /** The Cluster of unknown size being read: its header and whole children so far. */
  private open: { parts: Uint8Array[]; timecode: number; lastBlock?: number; gap?: number } | undefined;

  /** Feeds bytes; returns the Clusters they completed, oldest first. */
  push(bytes: Uint8Array): WebmCluster[] {
    this.pending = this.pending.length ? concat([this.pending, bytes]) : bytes.slice();
    const done: WebmCluster[] = [];
    let i = 0;
    for (;;) {
      const used = this.step(i, done);
      if (used === undefined) break;
      i = used;
    }
    this.pending = this.pending.slice(i);
    return done;
  }

  /** The Cluster still being recorded, with the blocks complete so far; undefined when none has begun. */
  current(): WebmCluster | undefined {
    if (!this.open || this.open.lastBlock === undefined) return undefined;
    return this.clusterOf(this.open);
  }

  /** Bytes held that are not yet part of a whole element (bounded by one element's size). */
  get pendingBytes(): number {
    return this.pending.length;
  }

  private ms(timecode: number): number {
    return (timecode * this.scaleNs) / 1_000_000;
  }

  private clusterOf(c: NonNullable<WebmSplitter['open']>): WebmCluster {
    const start = this.ms(c.timecode);
    const last = this.ms(c.lastBlock ?? c.timecode);
    return { bytes: concat(c.parts), startMs: start, endMs: last + (c.gap !== undefined ? this.ms(c.gap) : DEFAULT_FRAME_MS) };
  }

  /** Reads one element at `i`; returns where the next begins, or undefined when more bytes are needed. */
  private step(i: number, done: WebmCluster[]): number | undefined {
    const b = this.pending;
    const h = readHeader(b, i);
    if (!h) return undefined;
    if (!this.inSegment) {
      if (h.id === SEGMENT_ID) {
        this.initParts.push(SEGMENT_UNKNOWN);
        this.inSegment = true;
        return h.data;
      }
      if (h.size === undefined || h.data + h.size > b.length) return undefined;
      this.initParts.push(b.slice(i, h.data + h.size));
      return h.data + h.size;
    }
    if (this.open && !SEGMENT_CHILDREN.has(h.id)) {
      if (h.size === undefined || h.data + h.size > b.length) return undefined;
      this.child(h.id, b, h.data, h.data + h.size);
      this.open.parts.push(b.slice(i, h.data + h.size));
      return h.data + h.size;
    }
    if (this.open) {
      done.push(this.clusterOf(this.open));
      this.open = undefined;
    }
    if (h.id === CLUSTER_ID && h.size === undefined) {
      this.finishInit();
      this.open = { parts: [b.slice(i, h.data)], timecode: 0 };
      return h.data;
    }
    if (h.size === undefined || h.data + h.size > b.length) return undefined;
    const end = h.data + h.size;
    if (h.id === CLUSTER_ID) {
      this.finishInit();
      const c: NonNullable<WebmSplitter['open']> = { parts: [b.slice(i, end)], timecode: 0 };
      for (let k = h.data; k < end; ) {
        const ch = readHeader(b, k);
        if (!ch || ch.size === undefined) break;
        this.childOf(c, ch.id, b, ch.data, ch.data + ch.size);
        k = ch.data + ch.size;
      }
      done.push(this.clusterOf(c));
    } else if (!this.init) {
      if (h.id === INFO_ID) {
        const scale = findChild(b, h.data, end, TIMECODE_SCALE_ID, new Set());
        if (scale) this.scaleNs = readUint(b, scale.data, scale.end) || DEFAULT_SCALE_NS;
      }
      this.initParts.push(b.slice(i, end));
    }
    // Cues, Tags and the like after the first Cluster are not needed to play a window.
    return end;
  }

  private finishInit(): void {
    if (!this.init) this.init = concat(this.initParts);
  }

  private child(id: number, b: Uint8Array, from: number, to: number): void {
    if (this.open) this.childOf(this.open, id, b, from, to);
  }

  /** Notes a Cluster child's time: the Cluster's Timecode, or a block's (cluster time + signed 16-bit offset). */
  private childOf(c: NonNullable<WebmSplitter['open']>, id: number, b: Uint8Array, from: number, to: number): void {
    if (id === TIMECODE_ID) c.timecode = readUint(b, from, to);
    let block = id === SIMPLE_BLOCK_ID ? from : undefined;
    if (id === BLOCK_GROUP_ID) block = findChild(b, from, to, BLOCK_ID, new Set())?.data;
    if (block === undefined) return;
    const track = readVint(b, block, false);
    if (!track || block + track.length + 2 > to) return;
    const rel = (b[block + track.length]! << 8) | b[block + track.length + 1]!;
    const at = c.timecode + (rel & 0x8000 ? rel - 0x10000 : rel);
    if (c.lastBlock !== undefined && at > c.lastBlock) c.gap = at - c.lastBlock;
    c.lastBlock = at;
  }
}

/** What a WebM file says about itself: enough to check that a window is a playable Opus recording. */
export interface WebmInfo {
  /** EBML DocType ('webm'); undefined when the bytes do not start with an EBML header. */
  docType?: string;
  /** The first track's CodecID ('A_OPUS' for MediaRecorder's audio). */
  codec?: string;
  clusters: number;
  /** Audio covered from the first Cluster's start to the last block's end (ms). */
  durationMs: number;
}

/** Reads a whole WebM file (a window sent to the model) back: header, codec, Clusters and length. */
export function webmInfo(bytes: Uint8Array): WebmInfo {
  const header = readHeader(bytes, 0);
  let docType: string | undefined;
  if (header?.id === EBML_ID && header.size !== undefined) {
    const dt = findChild(bytes, header.data, header.data + header.size, DOC_TYPE_ID, new Set());
    if (dt) docType = new TextDecoder().decode(bytes.slice(dt.data, dt.end));
  }
  const splitter = new WebmSplitter();
  const clusters = splitter.push(bytes);
  const last = splitter.current();
  if (last) clusters.push(last);
  let codec: string | undefined;
  const segment = header?.size !== undefined ? readHeader(bytes, header.data + header.size) : undefined;
  if (segment?.id === SEGMENT_ID) {
    // Tracks come before the first Cluster; the search stops at a Cluster of unknown size.
    const id = findChild(bytes, segment.data, bytes.length, CODEC_ID, new Set([TRACKS_ID, TRACK_ENTRY_ID]));
    if (id) codec = new TextDecoder().decode(bytes.slice(id.data, id.end));
  }
  const durationMs = clusters.length ? clusters.at(-1)!.endMs - clusters[0]!.startMs : 0;
  return { ...(docType ? { docType } : {}), ...(codec ? { codec } : {}), clusters: clusters.length, durationMs };
}
