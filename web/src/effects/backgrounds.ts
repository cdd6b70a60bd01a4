// The virtual backgrounds that ship with meet (drawn by
// build/make-backgrounds.mjs; each is a bundled, hashed asset).
import abstract from './backgrounds/abstract.webp';
import hills from './backgrounds/hills.webp';
import room from './backgrounds/room.webp';
import sea from './backgrounds/sea.webp';
import tiles from './backgrounds/tiles.webp';

/** Background is one built-in image; its name is the i18n key effects.bg.<id>. */
export interface Background {
  id: 'room' | 'hills' | 'sea' | 'abstract' | 'tiles';
  url: string;
}

/** BACKGROUNDS lists the built-in images in the order the picker shows them. */
export const BACKGROUNDS: readonly Background[] = [
  { id: 'room', url: room },
  { id: 'hills', url: hills },
  { id: 'sea', url: sea },
  { id: 'abstract', url: abstract },
  { id: 'tiles', url: tiles },
];

/** BACKGROUND_IDS are the ids a stored choice may name. */
export const BACKGROUND_IDS: readonly string[] = BACKGROUNDS.map((b) => b.id);

/** backgroundUrl finds the image of an id. */
export function backgroundUrl(id: string): string | undefined {
  return BACKGROUNDS.find((b) => b.id === id)?.url;
}
