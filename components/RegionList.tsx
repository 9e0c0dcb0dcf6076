/** The hidden regions, each as a small numbered picture of where it is, with Remove. */
import { describeRegion, type Region } from '../lib/core/frames/redaction.ts';
import type { Thumbnail } from '../lib/panel/view-model.ts';

/** CSS box of a region inside a frame-sized parent. */
export const boxStyle = (r: Region) => ({ left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.w * 100}%`, height: `${r.h * 100}%` });

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
    <section class="region-list" aria-label="Hidden regions">
      <p class="meta">Hidden in every frame{site ? ` on ${site}` : ''}; these pixels never leave your browser.</p>
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
              Region {i + 1}: {describeRegion(r)}
            </span>
            <button type="button" aria-label={`Remove region ${i + 1}`} onClick={() => onChange(regions.filter((_, j) => j !== i))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
