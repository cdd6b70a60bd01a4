import { useRef } from 'react';
import { ParticipantTile, useMaybeTrackRefContext } from '@livekit/components-react';
import { isHandRaised } from '../call/hands';
import { useT } from '../i18n/i18n';
import { canFullscreen, toggleFullscreen, useIsFullscreen } from './fullscreen';
import { Icon } from './icons';
import { ParticipantMenu } from './ParticipantMenu';
import { TileContents } from './TileContents';
import { useParticipantTick } from './participantState';

/**
 * CallTile is LiveKit's participant tile with meet's additions over it: the
 * raised hand, full screen (button, or a double click) and the participant's
 * moderation menu.
 */
export function CallTile() {
  const t = useT();
  const ref = useMaybeTrackRefContext();
  const participant = ref?.participant;
  useParticipantTick(participant);
  const box = useRef<HTMLDivElement>(null);
  const isFull = useIsFullscreen(box);
  const hand = participant ? isHandRaised(participant) : false;
  const name = participant ? participant.name || participant.identity : '';
  return (
    <div ref={box} className="call-tile" data-hand-raised={hand} data-fullscreen={isFull} onDoubleClick={() => canFullscreen() && void toggleFullscreen(box.current)}>
      <ParticipantTile>
        <TileContents />
      </ParticipantTile>
      {participant && (
        <div className="tile-overlay">
          {hand && (
            <span className="tile-hand" role="img" aria-label={`${t('participants.handRaised')}: ${name}`}>
              <Icon name="hand" size={18} />
            </span>
          )}
          {canFullscreen() && (
            <button
              type="button"
              className="menu-button tile-fullscreen"
              onClick={() => void toggleFullscreen(box.current)}
              aria-label={isFull ? t('tile.exitFullscreen') : t('tile.fullscreen', { name })}
              title={isFull ? t('tile.exitFullscreen') : t('tile.fullscreen', { name })}
            >
              <Icon name={isFull ? 'shrink' : 'expand'} size={16} />
            </button>
          )}
          <ParticipantMenu participant={participant} />
        </div>
      )}
    </div>
  );
}
