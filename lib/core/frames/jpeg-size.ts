/** Reads a JPEG's pixel size from its base64 bytes (the SOF header), so token estimates need only the request. */

/** SOF markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not SOFs. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function decodeBase64Prefix(b64: string, maxBytes: number): Uint8Array | null {
  // Whole 4-char groups only; the SOF header sits in the first few hundred bytes of a camera or canvas JPEG.
  const chars = Math.min(b64.length, Math.ceil(maxBytes / 3) * 4);
  try {
    const bin = atob(b64.slice(0, chars - (chars % 4)));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export function jpegSize(base64: string, maxScanBytes = 65536): { width: number; height: number } | null {
  const b = decodeBase64Prefix(base64, maxScanBytes);
  if (!b || b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) { i += 1; continue; } // fill byte
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { i += 2; continue; }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    if (isStartOfFrame(marker)) {
      if (i + 8 >= b.length) return null;
      const height = (b[i + 5]! << 8) | b[i + 6]!;
      const width = (b[i + 7]! << 8) | b[i + 8]!;
      return width > 0 && height > 0 ? { width, height } : null;
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan data or end before any SOF
    i += 2 + len;
  }
  return null;
}
