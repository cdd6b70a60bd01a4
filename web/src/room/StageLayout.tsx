import { useEffect, useRef } from 'react';
import {
  CarouselLayout,
  FocusLayoutContainer,
  isTrackReference,
  TrackRefContext,
  useLayoutContext,
  usePinnedTracks,
  useTracks,
  type TrackReferenceOrPlaceholder,
} from '@livekit/components-react';
import { RoomEvent, Track } from 'livekit-client';
import { CallTile } from './CallTile';
import { PagedGrid } from './PagedGrid';

function sameTrack(a: TrackReferenceOrPlaceholder, b?: TrackReferenceOrPlaceholder): boolean {
  if (!b) return false;
  return a.participant.identity === b.participant.identity && a.source === b.source;
}

/**
 * StageLayout shows every camera (placeholders for those without one) and
 * screen share in a grid (in pages when they do not fit), or one pinned tile in focus with the others in a
 * carousel. A new screen share is pinned automatically, as in La Suite Meet.
 */
export function StageLayout() {
  const layout = useLayoutContext();
  const tracks = useTracks(
    [
      { source: Track.Source.Camera, withPlaceholder: true },
      { source: Track.Source.ScreenShare, withPlaceholder: false },
    ],
    { updateOnlyOn: [RoomEvent.ActiveSpeakersChanged], onlySubscribed: false },
  );
  const focus = usePinnedTracks(layout)?.[0];
  const others = tracks.filter((tr) => !sameTrack(tr, focus));

  const shares = tracks.filter(isTrackReference).filter((tr) => tr.publication.source === Track.Source.ScreenShare);
  const autoPinned = useRef<string | null>(null);
  const shareKey = shares.map((s) => `${s.publication.trackSid}_${s.publication.isSubscribed}`).join();
  useEffect(() => {
    const live = shares.find((s) => s.publication.isSubscribed || s.participant.isLocal);
    if (live && autoPinned.current === null) {
      layout.pin.dispatch?.({ msg: 'set_pin', trackReference: live });
      autoPinned.current = live.publication.trackSid;
    } else if (autoPinned.current && !shares.some((s) => s.publication.trackSid === autoPinned.current)) {
      layout.pin.dispatch?.({ msg: 'clear_pin' });
      autoPinned.current = null;
    }
    // shareKey captures every change of the share list that matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shareKey]);

  if (!focus) {
    return (
      <div className="lk-grid-layout-wrapper stage" data-layout="grid">
        <PagedGrid tracks={tracks}>
          <CallTile />
        </PagedGrid>
      </div>
    );
  }
  return (
    <div className="lk-focus-layout-wrapper stage" data-layout="focus">
      <FocusLayoutContainer>
        <CarouselLayout tracks={others}>
          <CallTile />
        </CarouselLayout>
        {/* Our tile rather than LiveKit's FocusLayout: with the full-screen button. */}
        <TrackRefContext.Provider value={focus}>
          <CallTile />
        </TrackRefContext.Provider>
      </FocusLayoutContainer>
    </div>
  );
}
