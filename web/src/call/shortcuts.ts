// Keyboard shortcuts of the call, as Google Meet has them: Ctrl (⌘ on a Mac)
// with a letter for the devices, Ctrl+Alt (⌘+Ctrl on a Mac) for the rest,
// "?" for the list, and Space held down to talk while muted.

/** ShortcutId names an action that has a shortcut. */
export type ShortcutId = 'mic' | 'camera' | 'hand' | 'chat' | 'participants' | 'reactions' | 'leave' | 'help';

/** Chord is one key combination; `mod` is Ctrl, or ⌘ on a Mac; `alt` is Alt, or Ctrl on a Mac. */
export interface Chord {
  id: ShortcutId;
  /** KeyboardEvent.code of the key (layout independent, unlike Alt+letter's key on a Mac). */
  code: string;
  mod: boolean;
  alt: boolean;
}

/** SHORTCUTS lists the chords, in the order the help sheet shows them. */
export const SHORTCUTS: readonly Chord[] = [
  { id: 'mic', code: 'KeyD', mod: true, alt: false },
  { id: 'camera', code: 'KeyE', mod: true, alt: false },
  { id: 'hand', code: 'KeyH', mod: true, alt: true },
  { id: 'chat', code: 'KeyC', mod: true, alt: true },
  { id: 'participants', code: 'KeyP', mod: true, alt: true },
  { id: 'reactions', code: 'KeyR', mod: true, alt: true },
  { id: 'leave', code: 'KeyL', mod: true, alt: true },
];

/** KeyInput is the part of a KeyboardEvent the matching reads. */
export type KeyInput = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'> & {
  target?: EventTarget | null;
};

/** TargetLike is the part of an element the typing checks read. */
interface TargetLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
  getAttribute?: (name: string) => string | null;
}

const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'time', 'datetime-local', 'month', 'week']);

/** isTypingTarget reports whether keys pressed in the element are text being typed. */
export function isTypingTarget(target: EventTarget | null | undefined): boolean {
  const el = target as TargetLike | null | undefined;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return TEXT_INPUT_TYPES.has((el.type ?? '').toLowerCase());
  if (el.isContentEditable) return true;
  const role = el.getAttribute?.('role');
  return role === 'textbox' || role === 'combobox' || role === 'searchbox';
}

const ACTIVATED_BY_SPACE = new Set(['BUTTON', 'A', 'SUMMARY', 'INPUT', 'SELECT', 'TEXTAREA', 'VIDEO', 'AUDIO']);
const ROLES_BY_SPACE = new Set(['button', 'menuitem', 'menuitemradio', 'menuitemcheckbox', 'tab', 'checkbox', 'radio', 'switch', 'option', 'link']);

/** usesSpace reports whether Space already means something in the element (a button clicks, a box types). */
export function usesSpace(target: EventTarget | null | undefined): boolean {
  if (isTypingTarget(target)) return true;
  const el = target as TargetLike | null | undefined;
  if (!el || typeof el.tagName !== 'string') return false;
  if (ACTIVATED_BY_SPACE.has(el.tagName.toUpperCase())) return true;
  const role = el.getAttribute?.('role');
  return role !== null && role !== undefined && ROLES_BY_SPACE.has(role);
}

/** isMacPlatform guesses whether the keyboard has ⌘ (from navigator.platform or the user agent). */
export function isMacPlatform(platform: string): boolean {
  return /Mac|iPhone|iPad|iPod/i.test(platform);
}

/**
 * matchShortcut returns the action a key press asks for, or null. Presses
 * while typing in a text field never match: Ctrl+E there is the field's own.
 */
export function matchShortcut(e: KeyInput, mac: boolean): ShortcutId | null {
  if (isTypingTarget(e.target)) return null;
  if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey) return 'help';
  const mod = mac ? e.metaKey : e.ctrlKey;
  // On a Mac, Meet's second modifier is Ctrl; Option is accepted as well.
  const alt = mac ? e.ctrlKey || e.altKey : e.altKey;
  const stray = mac ? false : e.metaKey;
  if (!mod || stray || e.shiftKey) return null;
  const chord = SHORTCUTS.find((c) => c.code === e.code && c.alt === alt);
  return chord?.id ?? null;
}

/** chordKeys spells a chord for people, e.g. ["Ctrl", "Alt", "H"] or ["⌘", "Ctrl", "H"]. */
export function chordKeys(c: Chord, mac: boolean): string[] {
  const keys: string[] = [];
  if (c.mod) keys.push(mac ? '⌘' : 'Ctrl');
  if (c.alt) keys.push(mac ? 'Ctrl' : 'Alt');
  keys.push(c.code.replace(/^Key/, ''));
  return keys;
}

/** ariaKeys spells a chord for aria-keyshortcuts, e.g. "Control+Alt+H". */
export function ariaKeys(c: Chord, mac: boolean): string {
  return chordKeys(c, mac)
    .map((k) => (k === 'Ctrl' ? 'Control' : k === '⌘' ? 'Meta' : k))
    .join('+');
}

/** chordFor returns the chord of an action. */
export function chordFor(id: ShortcutId): Chord | undefined {
  return SHORTCUTS.find((c) => c.id === id);
}

/**
 * PushToTalk decides what holding Space does: pressed while the microphone
 * is off, it turns it on; released, it turns it off again. Space pressed
 * while the microphone is already on does nothing, so releasing it does not
 * mute someone who was talking.
 */
export class PushToTalk {
  private holding = false;

  /** keyDown returns 'unmute' when this press should open the microphone. */
  keyDown(e: Pick<KeyInput, 'code' | 'target' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'> & { repeat?: boolean }, micOn: boolean): 'unmute' | null {
    if (e.code !== 'Space' || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return null;
    if (e.repeat || this.holding || micOn || usesSpace(e.target)) return null;
    this.holding = true;
    return 'unmute';
  }

  /** keyUp returns 'mute' when releasing ends a push-to-talk. */
  keyUp(e: Pick<KeyInput, 'code'>): 'mute' | null {
    if (e.code !== 'Space' || !this.holding) return null;
    this.holding = false;
    return 'mute';
  }

  /** release ends a push-to-talk when the page loses focus (the key-up would never come). */
  release(): 'mute' | null {
    if (!this.holding) return null;
    this.holding = false;
    return 'mute';
  }

  /** isHolding reports whether Space is held down to talk. */
  get isHolding(): boolean {
    return this.holding;
  }
}
