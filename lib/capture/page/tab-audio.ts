/**
 * Hear the tab (issue 14, item 3), the browser part: the shared tab's sound stays audible to the person and its
 * last minute is kept, compressed, in memory (lib/core/audio/ring.ts), for a question about what was said.
 *
 * - Audible: a tabCapture stream mutes the tab unless its audio is played back; it is routed to an AudioContext's
 *   destination (/work/shared/notes/platform-facts.md; Chrome's tabCapture guide does the same in its offscreen
 *   recorder sample, https://developer.chrome.com/docs/extensions/how-to/web-platform/screen-capture).
 * - Kept: MediaRecorder, `audio/webm;codecs=opus` at 32 kbit/s in 1 s slices (240 kB a minute), split into
 *   Clusters so any window plays on its own. Nothing is written anywhere; a pause throws the minute away and
 *   records nothing until resumed (so a private site's sound is never kept).
 * - Sent: the window decoded to 16 kHz mono WAV (the format Gemini documents; lib/core/audio/clip.ts), or the
 *   WebM itself if the browser cannot decode it.
 */
import { AudioRing } from '../../core/audio/ring.ts';
import { clipOf, wavClipOf, type SoundClip } from '../../core/audio/clip.ts';

/** The recording's format (bench:e2e records the same to measure the minute's memory). */
export const RECORDER_TYPE = 'audio/webm;codecs=opus';
/** The recorder's bit rate: 32 kbit/s, 240 kB a minute. */
export const RECORDER_BITS_PER_SECOND = 32_000;
/** The recorder hands over a piece every second. */
export const SLICE_MS = 1000;
/** Sample rate of the WAV sent (Hz): what Gemini reduces audio to anyway. */
const WAV_RATE = 16_000;

/** One shared tab's sound: played back to the person, its last minute kept in memory (see the file's comment). */
export class TabAudio {
  private context: AudioContext;
  private source: MediaStreamAudioSourceNode;
  private tracks: MediaStream;
  private recorder: MediaRecorder | undefined;
  private ring = new AudioRing();
  private stopped = false;

  private constructor(stream: MediaStream) {
    this.tracks = new MediaStream(stream.getAudioTracks());
    this.context = new AudioContext();
    this.source = this.context.createMediaStreamSource(this.tracks);
    this.source.connect(this.context.destination);
    void this.context.resume().catch(() => {});
    this.record();
  }

  /**
   * Plays the stream's sound to the person and starts keeping it. `audio` is undefined when the stream has no
   * sound or the browser cannot record it; `note` then says why, in a sentence for the panel.
   */
  static start(stream: MediaStream): { audio?: TabAudio; note?: string } {
    if (stream.getAudioTracks().length === 0) return { note: 'The shared tab’s sound could not be captured, so only its picture is shared.' };
    if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported(RECORDER_TYPE)) {
      return { note: 'This browser cannot record the tab’s sound, so only its picture is shared.' };
    }
    try {
      return { audio: new TabAudio(stream) };
    } catch (err) {
      return { note: `The tab’s sound could not be kept (${(err as Error).message || String(err)}), so only its picture is shared.` };
    }
  }

  /** Paused: nothing is recorded and the minute kept is forgotten. Resumed: a new recording starts. The sound stays audible. */
  setPaused(paused: boolean): void {
    if (this.stopped) return;
    if (paused) {
      this.recorder?.stop();
      this.recorder = undefined;
      this.ring.reset();
    } else if (!this.recorder) {
      this.record();
    }
  }

  /** The last minute of sound as a clip for the model; undefined when nothing is kept (just started, paused). */
  async clip(): Promise<SoundClip | undefined> {
    const window = this.ring.window();
    if (!window || window.durationMs <= 0) return undefined;
    try {
      // An OfflineAudioContext decodes at its own rate: the window comes back resampled to 16 kHz.
      const decoded = await new OfflineAudioContext(1, 1, WAV_RATE).decodeAudioData(window.bytes.slice().buffer);
      const mono = new Float32Array(decoded.length);
      for (let c = 0; c < decoded.numberOfChannels; c++) {
        const channel = decoded.getChannelData(c);
        for (let i = 0; i < mono.length; i++) mono[i]! += channel[i]! / decoded.numberOfChannels;
      }
      return wavClipOf(mono, decoded.sampleRate);
    } catch {
      return clipOf(window);
    }
  }

  stop(): void {
    this.stopped = true;
    this.recorder?.stop();
    this.recorder = undefined;
    this.ring.reset();
    this.source.disconnect();
    void this.context.close().catch(() => {});
  }

  private record(): void {
    const recorder = new MediaRecorder(this.tracks, { mimeType: RECORDER_TYPE, audioBitsPerSecond: RECORDER_BITS_PER_SECOND });
    const ring = new AudioRing();
    this.ring = ring;
    this.recorder = recorder;
    // Slices are read one after another: the stream is cut mid-element, so their order matters.
    let reading = Promise.resolve();
    recorder.ondataavailable = (ev) => {
      // A slice that arrives after a pause or stop belongs to a recording already forgotten.
      if (this.recorder !== recorder || ev.data.size === 0) return;
      const blob = ev.data;
      reading = reading
        .then(() => blob.arrayBuffer())
        .then((bytes) => {
          if (this.recorder === recorder) ring.push(new Uint8Array(bytes));
        })
        .catch(() => {});
    };
    recorder.start(SLICE_MS);
  }
}
