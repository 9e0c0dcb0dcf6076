/** The hidden regions, each as a small numbered picture of where it is, with Remove. */
import type { Region } from '../lib/core/frames/redaction.ts';
import type { Thumbnail } from '../lib/panel/view-model.ts';
import { i18n } from '#i18n';

/** CSS box of a region inside a frame-sized parent. */
export const boxStyle = (r: Region) => ({ left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.w * 100}%`, height: `${r.h * 100}%` });

/** Where a region is, for a screen reader: "left 10%, top 20%, 30% wide, 40% high" (lib/core's describeRegion, translated). */
export function regionText(r: Region): string {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return i18n.t('redact.where', { x: pct(r.x), y: pct(r.y), w: pct(r.w), h: pct(r.h) });
}

interface Props {
  regions: Region[];
  thumbnail: Thumbnail | undefined;
  aspect: number;
  /** Whose regions these are (hostname, or camera / screen). */
  site: string | undefined;
  onChange: (regions: Region[]) => void;
}

/** The list of hidden regions, or nothing when there are none. */
export function RegionList({ regions, thumbnail, aspect, site, onChange }: Props) {
  if (regions.length === 0) return null;
  return (
    <section class="region-list" aria-label={i18n.t('redact.listLabel')}>
      <p class="meta">{site ? i18n.t('redact.hiddenOn', { site }) : i18n.t('redact.hiddenEverywhere')}</p>
      <ul class="regions">
        {regions.map((r, i) => (
          <li key={i}>
            <span class="region-no" aria-hidden="true">
              {i + 1}
            </span>
            <span class="region-thumb" style={{ aspectRatio: String(aspect) }} aria-hidden="true">
              {thumbnail && <img src={thumbnail.dataUrl} alt="" draggable={false} />}
              <span class="region" style={boxStyle(r)} />
            </span>
            <span class="sr-only">
              {i18n.t('redact.item', { n: i + 1, where: regionText(r) })}
            </span>
            <button type="button" aria-label={i18n.t('redact.removeLabel', { n: i + 1 })} onClick={() => onChange(regions.filter((_, j) => j !== i))}>
              {i18n.t('redact.remove')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The picture a region is drawn on (the preview's region editor and Point): the newest thumbnail at its own
 * aspect (reported through `onAspect` once loaded, width / height), or a line saying it is on its way.
 */
export function FramePicture({ thumbnail, onAspect }: { thumbnail: Thumbnail | undefined; onAspect: (aspect: number) => void }) {
  if (!thumbnail) return <p class="thumbnail placeholder">{i18n.t('redact.waiting')}</p>;
  return (
    <img
      class="thumbnail"
      src={thumbnail.dataUrl}
      alt={i18n.t('common.whatSightlineSees')}
      draggable={false}
      onLoad={(e) => {
        const img = e.currentTarget;
        if (img.naturalWidth && img.naturalHeight) onAspect(img.naturalWidth / img.naturalHeight);
      }}
    />
  );
}
