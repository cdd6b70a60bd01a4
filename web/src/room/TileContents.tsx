import {
  AudioTrack,
  ConnectionQualityIndicator,
  FocusToggleIcon,
  isTrackReference,
  LockLockedIcon,
  ParticipantName,
  ParticipantPlaceholder,
  ScreenShareIcon,
  TrackMutedIndicator,
  UnfocusToggleIcon,
  useEnsureTrackRef,
  useFeatureContext,
  useFocusToggle,
  useIsEncrypted,
  useMaybeLayoutContext,
  VideoTrack,
} from '@livekit/components-react';
import { Track } from 'livekit-client';
import { useCallback } from 'react';
import { useT } from '../i18n/i18n';

/**
 * TileContents is what LiveKit's ParticipantTile shows by default (video,
 * placeholder, name, muted and connection indicators, focus button) with
 * meet's words: LiveKit writes "'s screen" in English and leaves the focus
 * button without a name.
 */
export function TileContents() {
  const t = useT();
  const ref = useEnsureTrackRef();
  const encrypted = useIsEncrypted(ref.participant);
  const layout = useMaybeLayoutContext();
  const autoSubscription = useFeatureContext()?.autoSubscription;
  const { mergedProps, inFocus } = useFocusToggle({ trackRef: ref, props: {} });
  const name = ref.participant.name || ref.participant.identity;
  const onSubscription = useCallback(
    (subscribed: boolean) => {
      const pinned = layout?.pin.state?.[0];
      if (!subscribed && pinned && isTrackReference(pinned) && isTrackReference(ref) && pinned.publication.trackSid === ref.publication.trackSid) {
        layout?.pin.dispatch?.({ msg: 'clear_pin' });
      }
    },
    [layout, ref],
  );
  const isVideo =
    isTrackReference(ref) &&
    (ref.publication.kind === 'video' || ref.source === Track.Source.Camera || ref.source === Track.Source.ScreenShare);
  const screen = ref.source === Track.Source.ScreenShare;
  return (
    <>
      {isVideo ? (
        <VideoTrack trackRef={ref} onSubscriptionStatusChanged={onSubscription} manageSubscription={autoSubscription} />
      ) : (
        isTrackReference(ref) && <AudioTrack trackRef={ref} onSubscriptionStatusChanged={onSubscription} />
      )}
      <div className="lk-participant-placeholder">
        <ParticipantPlaceholder />
      </div>
      <div className="lk-participant-metadata">
        <div className="lk-participant-metadata-item">
          {screen ? (
            <>
              <ScreenShareIcon style={{ marginRight: '0.25rem' }} />
              <span className="lk-participant-name">{t('tile.screenOf', { name })}</span>
            </>
          ) : (
            <>
              {encrypted && <LockLockedIcon style={{ marginRight: '0.25rem' }} />}
              <TrackMutedIndicator trackRef={{ participant: ref.participant, source: Track.Source.Microphone }} show="muted" />
              <ParticipantName />
            </>
          )}
        </div>
        <ConnectionQualityIndicator className="lk-participant-metadata-item" />
      </div>
      {layout && (
        <button
          {...mergedProps}
          type="button"
          aria-label={t(inFocus ? 'tile.unpin' : 'tile.pin', { name: screen ? t('tile.screenOf', { name }) : name })}
          title={t(inFocus ? 'tile.unpin' : 'tile.pin', { name: screen ? t('tile.screenOf', { name }) : name })}
        >
          {inFocus ? <UnfocusToggleIcon /> : <FocusToggleIcon />}
        </button>
      )}
    </>
  );
}
