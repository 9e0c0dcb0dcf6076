/**
 * The offscreen document cannot show a permission prompt, so the panel (a visible page) asks for the
 * camera first; once granted for the extension's origin, the offscreen capture gets it silently.
 */
import { i18n } from '#i18n';
export type CameraPermission = { ok: true } | { ok: false; message: string };

export function cameraErrorMessage(error: unknown): string {
  const name = error instanceof Error || (typeof error === 'object' && error !== null) ? (error as { name?: string }).name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return i18n.t('camera.refused');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return i18n.t('camera.notFound');
    case 'NotReadableError':
    case 'AbortError':
      return i18n.t('camera.busy');
    default:
      return i18n.t('camera.failed');
  }
}

export async function ensureCameraPermission(
  mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices,
): Promise<CameraPermission> {
  if (!mediaDevices?.getUserMedia) return { ok: false, message: i18n.t('camera.unsupported') };
  try {
    const stream = await mediaDevices.getUserMedia({ video: true });
    // Only the permission was needed: release the camera so the offscreen document can open it.
    for (const track of stream.getTracks()) track.stop();
    return { ok: true };
  } catch (error) {
    return { ok: false, message: cameraErrorMessage(error) };
  }
}
