import { useEffect, useRef } from 'react';
import { useLocalParticipant } from '@livekit/components-react';
import { matchShortcut, PushToTalk, type ShortcutId } from '../call/shortcuts';
import { settingsStore } from '../settings/useSettings';
import { isMac } from '../settings/ShortcutList';

/** ShortcutActions are what the call's shortcuts do, besides the devices. */
export type ShortcutActions = Record<Exclude<ShortcutId, 'mic' | 'camera'>, () => void>;

/**
 * useCallShortcuts listens for the call's keyboard shortcuts on the whole
 * page (see call/shortcuts.ts): Ctrl/⌘+D and +E toggle the microphone and
 * the camera, the others run `actions`, and Space held while muted talks
 * (when the settings allow it). Nothing happens while a text field has focus.
 */
export function useCallShortcuts(actions: ShortcutActions, enabled: boolean) {
  const { localParticipant } = useLocalParticipant();
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  }, [actions]);

  useEffect(() => {
    if (!enabled) return;
    const mac = isMac();
    const ptt = new PushToTalk();
    const setMic = (on: boolean) =>
      localParticipant.setMicrophoneEnabled(on).catch((err: unknown) => console.warn('turning the microphone on or off failed', err));

    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (settingsStore().get().pushToTalk && ptt.keyDown(e, localParticipant.isMicrophoneEnabled) === 'unmute') {
        e.preventDefault();
        void setMic(true);
        return;
      }
      if (e.code === 'Space' && ptt.isHolding) {
        e.preventDefault(); // auto-repeat: no page scroll
        return;
      }
      const id = matchShortcut(e, mac);
      if (!id || e.repeat) return;
      // "?" is for the help sheet only when no dialog is open.
      if (id === 'help' && document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      if (id === 'mic') void setMic(!localParticipant.isMicrophoneEnabled);
      else if (id === 'camera')
        void localParticipant.setCameraEnabled(!localParticipant.isCameraEnabled).catch((err: unknown) => console.warn('turning the camera on or off failed', err));
      else latest.current[id]();
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (ptt.keyUp(e) === 'mute') {
        e.preventDefault();
        void setMic(false);
      }
    };
    const onBlur = () => {
      if (ptt.release() === 'mute') void setMic(false);
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
    };
  }, [enabled, localParticipant]);
}
