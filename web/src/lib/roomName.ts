// Readable room codes in La Suite Meet's shape: three letter groups, 3-4-3.

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const SLUG_RE = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;

/** randomLetters draws n letters with crypto randomness (no modulo bias: 256 % 26 is rejected). */
function randomLetters(n: number, random: RandomBytes): string {
  let out = '';
  while (out.length < n) {
    const buf = random(n * 2);
    for (const b of buf) {
      if (b < 234 && out.length < n) out += LETTERS[b % 26];
    }
  }
  return out;
}

/** RandomBytes returns n random bytes; injectable for tests. */
export type RandomBytes = (n: number) => Uint8Array;
const cryptoRandom: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));

/** generateRoomName returns a fresh code like "abc-defg-hij". */
export function generateRoomName(random: RandomBytes = cryptoRandom): string {
  const s = randomLetters(10, random);
  return `${s.slice(0, 3)}-${s.slice(3, 7)}-${s.slice(7)}`;
}

export function isRoomCode(s: string): boolean {
  return SLUG_RE.test(s);
}

/**
 * parseRoomInput accepts a meeting link, a path, a code with or without
 * dashes ("abcdefghij"), or any other slug, and returns the slug to open,
 * or null when nothing usable was typed.
 */
export function parseRoomInput(input: string, origin: string = location.origin): string | null {
  let s = input.trim();
  if (!s) return null;
  if (/^https?:\/\//i.test(s)) {
    try {
      const u = new URL(s);
      if (u.origin !== origin) return null;
      s = u.pathname;
    } catch {
      return null;
    }
  }
  s = s.replace(/^\/+|\/+$/g, '').toLowerCase();
  if (!s || s.includes('/')) return null;
  if (/^[a-z]{10}$/.test(s)) return `${s.slice(0, 3)}-${s.slice(3, 7)}-${s.slice(7)}`;
  if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(s)) return null;
  return s;
}
