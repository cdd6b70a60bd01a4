import { useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { TrackLoop, useGridLayout, useSpeakingParticipants, type TrackReferenceOrPlaceholder } from '@livekit/components-react';
import { clampPage, pageCount, pageItems, stableOrder } from '../call/pagination';
import { useT } from '../i18n/i18n';

/** tileKey names a tile: one participant's camera or screen share. */
export function tileKey(tr: TrackReferenceOrPlaceholder): string {
  return `${tr.participant.identity}\u0000${tr.source}`;
}

/**
 * PagedGrid lays the tiles out in a grid sized to the screen; when they do
 * not fit, it shows them a page at a time with previous and next buttons.
 * The order stays stable, and whoever speaks is brought onto the first page.
 */
export function PagedGrid({ tracks, children }: { tracks: TrackReferenceOrPlaceholder[]; children: ReactNode }) {
  const t = useT();
  const grid = useRef<HTMLDivElement>(null) as RefObject<HTMLDivElement>;
  const { layout } = useGridLayout(grid, tracks.length);
  const perPage = Math.max(1, layout.maxTiles);
  const speaking = useSpeakingParticipants();
  const [page, setPage] = useState(0);

  const byKey = useMemo(() => new Map(tracks.map((tr) => [tileKey(tr), tr])), [tracks]);
  const keys = [...byKey.keys()];
  const speakerKeys = speaking.filter((p) => !p.isLocal).map((p) => `${p.identity}\u0000camera`);
  const local = tracks.find((tr) => tr.participant.isLocal);
  // The order depends on the previous one: kept in state and updated while
  // rendering when its inputs change (React's pattern for values derived
  // from earlier renders).
  const signature = `${keys.join('|')}#${speakerKeys.join('|')}#${perPage}`;
  const [ordered, setOrdered] = useState<{ signature: string; order: string[] }>({ signature: '', order: [] });
  let order = ordered.order;
  if (ordered.signature !== signature) {
    order = stableOrder(ordered.order, keys, speakerKeys, perPage, new Set(local ? [tileKey(local)] : []));
    setOrdered({ signature, order });
  }
  const pages = pageCount(order.length, perPage);
  const shown = clampPage(page, order.length, perPage);
  const visible = pageItems(order, perPage, shown)
    .map((k) => byKey.get(k))
    .filter((tr): tr is TrackReferenceOrPlaceholder => tr !== undefined);

  return (
    <div ref={grid} className="lk-grid-layout paged-grid" data-lk-pagination={pages > 1}>
      <TrackLoop tracks={visible}>{children}</TrackLoop>
      {pages > 1 && (
        <nav className="grid-pages" aria-label={t('grid.page', { page: shown + 1, count: pages })}>
          <button type="button" className="lk-button" onClick={() => setPage(shown - 1)} disabled={shown === 0} aria-label={t('grid.prev')} title={t('grid.prev')}>
            ‹
          </button>
          <span className="grid-page-label" aria-live="polite">
            {t('grid.page', { page: shown + 1, count: pages })}
          </span>
          <button type="button" className="lk-button" onClick={() => setPage(shown + 1)} disabled={shown === pages - 1} aria-label={t('grid.next')} title={t('grid.next')}>
            ›
          </button>
        </nav>
      )}
    </div>
  );
}
