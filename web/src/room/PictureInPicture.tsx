import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import {
  DisconnectButton,
  isTrackReference,
  TrackToggle,
  useSpeakingParticipants,
  useTracks,
  VideoTrack,
} from '@livekit/components-react';
import { RoomEvent, Track } from 'livekit-client';
import { pickVideo, pipTarget } from '../call/pip';
import { useI18n } from '../i18n/i18n';

interface DocumentPip {
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
  window: Window | null;
}

function documentPip(): DocumentPip | undefined {
  return (window as Window & { documentPictureInPicture?: DocumentPip }).documentPictureInPicture;
}

/** PipState is the call's picture-in-picture: whether it is open and how to open or close it. */
export interface PipState {
  supported: boolean;
  open: boolean;
  /** The Document Picture-in-Picture window, when that is what is open. */
  window: Window | null;
  toggle: () => void;
}

// The PiP window starts blank: it gets the page's styles (bundled, same origin).
function copyStyles(to: Document) {
  for (const node of document.head.querySelectorAll('link[rel="stylesheet"], style')) to.head.appendChild(node.cloneNode(true));
}

function stageVideo(): HTMLVideoElement | null {
  const videos = [...document.querySelectorAll<HTMLVideoElement>('.stage video')];
  const at = pickVideo(
    videos.map((v) => {
      const tile = v.closest('.lk-participant-tile');
      return {
        source: v.getAttribute('data-lk-source') ?? tile?.getAttribute('data-lk-source') ?? null,
        isLocal: (v.getAttribute('data-lk-local-participant') ?? tile?.getAttribute('data-lk-local-participant')) === 'true',
        speaking: tile?.getAttribute('data-lk-speaking') === 'true',
        ready: v.readyState >= 2 && v.videoWidth > 0,
      };
    }),
  );
  return at < 0 ? null : videos[at];
}

/**
 * usePictureInPicture opens the call in a small always-on-top window: a
 * Document Picture-in-Picture window with the speaker (or the screen shared)
 * and the microphone and leave buttons where the browser has it; else the
 * browser's picture-in-picture of the stage's main video.
 */
export function usePictureInPicture(): PipState {
  const [win, setWin] = useState<Window | null>(null);
  const [videoOpen, setVideoOpen] = useState(false);
  const supported = typeof window !== 'undefined' && (documentPip() !== undefined || document.pictureInPictureEnabled === true);

  useEffect(() => {
    const onEnter = () => setVideoOpen(true);
    const onLeave = () => setVideoOpen(document.pictureInPictureElement != null);
    document.addEventListener('enterpictureinpicture', onEnter, true);
    document.addEventListener('leavepictureinpicture', onLeave, true);
    return () => {
      document.removeEventListener('enterpictureinpicture', onEnter, true);
      document.removeEventListener('leavepictureinpicture', onLeave, true);
    };
  }, []);

  // Leaving the call closes the window.
  useEffect(() => () => win?.close(), [win]);

  const toggle = useCallback(() => {
    if (win) {
      win.close();
      setWin(null);
      return;
    }
    if (document.pictureInPictureElement) {
      void document.exitPictureInPicture().catch(() => {});
      return;
    }
    const fallback = () => {
      const v = stageVideo();
      if (!v) return;
      v.requestPictureInPicture().catch((err: unknown) => console.warn('picture-in-picture refused', err));
    };
    const dpip = documentPip();
    if (!dpip) {
      fallback();
      return;
    }
    dpip
      .requestWindow({ width: 360, height: 270 })
      .then((w) => {
        copyStyles(w.document);
        w.document.body.classList.add('pip-body');
        w.addEventListener('pagehide', () => setWin(null), { once: true });
        setWin(w);
      })
      .catch((err: unknown) => {
        console.warn('document picture-in-picture refused', err);
        fallback();
      });
  }, [win]);

  return { supported, open: win !== null || videoOpen, window: win, toggle };
}

/** PipWindow renders the call's small view into the Document Picture-in-Picture window. */
export function PipWindow({ target }: { target: Window }) {
  return createPortal(<PipView />, target.document.body);
}

function PipView() {
  const { t, lang } = useI18n();
  const tracks = useTracks(
    [
      { source: Track.Source.Camera, withPlaceholder: true },
      { source: Track.Source.ScreenShare, withPlaceholder: false },
    ],
    { updateOnlyOn: [RoomEvent.ActiveSpeakersChanged, RoomEvent.TrackMuted, RoomEvent.TrackUnmuted, RoomEvent.TrackSubscribed], onlySubscribed: false },
  );
  const speakers = useSpeakingParticipants().map((p) => p.identity);
  const candidates = tracks.map((tr) => ({
    tr,
    identity: tr.participant.identity,
    source: tr.source === Track.Source.ScreenShare ? ('screen_share' as const) : ('camera' as const),
    isLocal: tr.participant.isLocal,
    hasVideo: isTrackReference(tr) && !tr.publication.isMuted && (tr.participant.isLocal || tr.publication.isSubscribed),
  }));
  const chosen = pipTarget(candidates, speakers);
  const who = chosen ? chosen.tr.participant.name || chosen.tr.participant.identity : '';

  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const doc = root.current?.ownerDocument;
    if (doc) {
      doc.title = t('pip.title');
      doc.documentElement.lang = lang;
    }
  }, [t, lang]);

  return (
    <div className="pip-view" data-lk-theme="default" ref={root}>
      <div className="pip-stage">
        {chosen && chosen.hasVideo && isTrackReference(chosen.tr) ? (
          <VideoTrack trackRef={chosen.tr} className={chosen.isLocal && chosen.source === 'camera' ? 'pip-video self' : 'pip-video'} />
        ) : (
          <p className="pip-empty">{who || t('pip.nobody')}</p>
        )}
        {who && <span className="pip-name">{who}</span>}
      </div>
      <div className="pip-controls">
        <TrackToggle source={Track.Source.Microphone} aria-label={t('conf.microphone')} />
        <DisconnectButton className="lk-disconnect-button">{t('conf.leave')}</DisconnectButton>
      </div>
    </div>
  );
}
