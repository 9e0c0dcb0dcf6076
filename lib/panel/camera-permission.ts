/**
 * The offscreen document cannot show a permission prompt, so the panel (a visible page) asks for the
 * camera first; once granted for the extension's origin, the offscreen capture gets it silently.
 */
export type CameraPermission = { ok: true } | { ok: false; message: string };

export function cameraErrorMessage(error: unknown): string {
  const name = error instanceof Error || (typeof error === 'object' && error !== null) ? (error as { name?: string }).name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access was refused. Allow the camera for Sightline (the camera icon in the address bar or the browser’s site settings), then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Connect a camera and try again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera could not be started; another app may be using it. Close that app and try again.';
    default:
      return 'The camera could not be opened. Check that one is connected and allowed for Sightline.';
  }
}

export async function ensureCameraPermission(
  mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices,
): Promise<CameraPermission> {
  if (!mediaDevices?.getUserMedia) return { ok: false, message: 'This browser does not offer camera capture here.' };
  try {
    const stream = await mediaDevices.getUserMedia({ video: true });
    // Only the permission was needed: release the camera so the offscreen document can open it.
    for (const track of stream.getTracks()) track.stop();
    return { ok: true };
  } catch (error) {
    return { ok: false, message: cameraErrorMessage(error) };
  }
}
