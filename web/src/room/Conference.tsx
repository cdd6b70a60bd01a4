import '@livekit/components-styles';
import './conference.css';
import { useEffect, useEffectEvent, useState } from 'react';
import { RoomContext } from '@livekit/components-react';
import { DisconnectReason, Room as LKRoom, RoomEvent, type LocalTrackPublication } from 'livekit-client';
import type { LiveKitCredentials, Room } from '../api/types';
import { audioCapture, saveEffects, type EffectChoices } from '../effects/choices';
import { support } from '../effects/support';
import { useBackgroundUploads } from '../effects/useBackgroundUploads';
import { useRoomEffects } from '../effects/useRoomEffects';
import { markMilestone } from '../lib/timing';
import { settingsStore } from '../settings/useSettings';
import type { JoinChoices, PreviewTracks } from './choices';
import { ConferenceView } from './ConferenceView';
import { publishChoices } from './publishChoices';
import { exposeRoomToTests } from './testHook';
import { captureResolution } from './videoQuality';

interface Props {
  room: Room;
  /** Credentials to connect with; without them the call screen waits, built but hidden. */
  livekit?: LiveKitCredentials;
  choices: JoinChoices;
  /** Devices already open from the prejoin screen; published instead of reopened. */
  tracks: PreviewTracks;
  /** ICE servers to use instead of those the SFU sends (see the server's config). */
  iceServers?: RTCIceServer[] | null;
  onLeave: (reason?: string) => void;
}

/**
 * Conference connects to LiveKit with the in-memory token and renders the call.
 *
 * It drives the connection itself rather than through <LiveKitRoom>: that
 * component connects one render later and reopens camera and microphone while
 * the connection is being set up; here the connection starts as soon as the
 * credentials are there and the prejoin's tracks are published, as they are,
 * once the connection is up (publishing during the set-up slowed it down).
 */
export default function Conference({ room, livekit, choices, tracks, iceServers, onLeave }: Props) {
  // The call screen is rendered before the connection starts, so that the
  // LiveKit hooks inside it have subscribed to the room's events by then:
  // they read the room's state when they render and would miss a change that
  // happened before their effects ran (the connection state then stays
  // "connecting"). Mounted without credentials, in the lobby, it is built
  // hidden, ahead of time.
  const visible = livekit !== undefined;
  // Our own Room instance so we can read the disconnect reason.
  const [lkRoom] = useState(() => {
    // The person's settings: speaker, and the camera resolution for a
    // camera opened during the call.
    const settings = settingsStore().get();
    return new LKRoom({
      adaptiveStream: true,
      dynacast: true,
      audioCaptureDefaults: audioCapture(choices.effects, choices.effects.noiseSuppression && support().noise, choices.audioDeviceId),
      videoCaptureDefaults: { deviceId: choices.videoDeviceId, resolution: captureResolution(settings.videoQuality) },
      audioOutput: settings.audioOutput ? { deviceId: settings.audioOutput } : undefined,
    });
  });
  useEffect(() => exposeRoomToTests(lkRoom), [lkRoom]);

  // The effects chosen before joining, changed from the call's panel.
  const [effects, setEffects] = useState<EffectChoices>(choices.effects);
  const fx = useRoomEffects(lkRoom, effects);
  const uploads = useBackgroundUploads(effects.video, () => setEffects((e) => ({ ...e, video: { kind: 'none' } })));
  const changeEffects = (next: EffectChoices) => {
    setEffects(next);
    saveEffects(next);
  };
  // An effect the device could not keep up with is unselected (the call tells why).
  useEffect(() => {
    if (fx.videoState === 'slow') setEffects((e) => ({ ...e, video: { kind: 'none' } }));
  }, [fx.videoState]);

  useEffect(() => {
    const onDisconnected = (reason?: DisconnectReason) => {
      const name = reason === undefined || reason === DisconnectReason.CLIENT_INITIATED ? undefined : DisconnectReason[reason];
      onLeave(name);
    };
    lkRoom.on(RoomEvent.Disconnected, onDisconnected);
    return () => void lkRoom.off(RoomEvent.Disconnected, onDisconnected);
  }, [lkRoom, onLeave]);

  useEffect(() => {
    if (visible) markMilestone('call-shown');
  }, [visible]);

  // Connect once per token, then publish the chosen devices. Choices, tracks and ICE servers are read once,
  // when the call starts; a change to them (or to onLeave) does not reconnect.
  const url = livekit?.url;
  const token = livekit?.token;
  const startOptions = useEffectEvent(() => ({ choices, tracks, iceServers, onLeave }));
  useEffect(() => {
    if (url === undefined || token === undefined) return;
    const { choices, tracks, iceServers, onLeave } = startOptions();
    markMilestone('call-connecting');
    let live = true;
    const onSignal = () => markMilestone('signal-connected');
    const onConnected = () => {
      markMilestone('connected');
      publishChoices(lkRoom.localParticipant, choices, tracks).catch((err: unknown) => {
        if (live) console.warn('publishing camera or microphone failed', err);
      });
    };
    const onPublished = (pub: LocalTrackPublication) => markMilestone(`published-${pub.kind}`);
    lkRoom.on(RoomEvent.SignalConnected, onSignal).once(RoomEvent.Connected, onConnected).on(RoomEvent.LocalTrackPublished, onPublished);
    lkRoom.connect(url, token, iceServers ? { rtcConfig: { iceServers } } : undefined).catch((err: unknown) => {
      if (!live) return;
      console.warn('connecting to the call failed', err);
      onLeave(err instanceof Error ? err.message : String(err));
    });
    return () => {
      live = false;
      lkRoom.off(RoomEvent.SignalConnected, onSignal).off(RoomEvent.Connected, onConnected).off(RoomEvent.LocalTrackPublished, onPublished);
      void lkRoom.disconnect();
    };
  }, [lkRoom, url, token]);

  return (
    <div className="lk-room-container conference" data-lk-theme="default" hidden={!visible}>
      <RoomContext.Provider value={lkRoom}>
        <ConferenceView
          room={room}
          token={livekit?.token}
          effects={{ value: effects, onChange: changeEffects, videoState: fx.videoState, noiseState: fx.noiseState, uploads }}
        />
      </RoomContext.Provider>
    </div>
  );
}
