import { ParticipantTile, useMaybeTrackRefContext } from '@livekit/components-react';
import { isHandRaised } from '../call/hands';
import { useT } from '../i18n/i18n';
import { Icon } from './icons';
import { ParticipantMenu } from './ParticipantMenu';
import { TileContents } from './TileContents';
import { useParticipantTick } from './participantState';

/**
 * CallTile is LiveKit's participant tile with meet's additions over it: the
 * raised hand and the participant's moderation menu.
 */
export function CallTile() {
  const t = useT();
  const ref = useMaybeTrackRefContext();
  const participant = ref?.participant;
  useParticipantTick(participant);
  const hand = participant ? isHandRaised(participant) : false;
  return (
    <div className="call-tile" data-hand-raised={hand}>
      <ParticipantTile>
        <TileContents />
      </ParticipantTile>
      {participant && (
        <div className="tile-overlay">
          {hand && (
            <span className="tile-hand" role="img" aria-label={`${t('participants.handRaised')}: ${participant.name || participant.identity}`}>
              <Icon name="hand" size={18} />
            </span>
          )}
          <ParticipantMenu participant={participant} />
        </div>
      )}
    </div>
  );
}
