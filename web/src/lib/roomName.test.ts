import { describe, expect, it } from 'vitest';
import { generateRoomName, isRoomCode, parseRoomInput } from './roomName';

describe('generateRoomName', () => {
  it('makes readable 3-4-3 codes', () => {
    for (let i = 0; i < 200; i++) expect(isRoomCode(generateRoomName())).toBe(true);
  });
  it('is random', () => {
    const names = new Set(Array.from({ length: 100 }, () => generateRoomName()));
    expect(names.size).toBe(100);
  });
  it('rejects biased bytes (>= 234) instead of wrapping', () => {
    let call = 0;
    const name = generateRoomName((n) => {
      call++;
      return new Uint8Array(n).fill(call === 1 ? 255 : 0);
    });
    expect(name).toBe('aaa-aaaa-aaa');
    expect(call).toBe(2);
  });
});

describe('parseRoomInput', () => {
  const origin = 'https://meet.example';
  it.each([
    ['abc-defg-hij', 'abc-defg-hij'],
    ['  ABC-DEFG-HIJ ', 'abc-defg-hij'],
    ['abcdefghij', 'abc-defg-hij'],
    ['https://meet.example/abc-defg-hij', 'abc-defg-hij'],
    ['https://meet.example/abc-defg-hij/', 'abc-defg-hij'],
    ['/team-weekly', 'team-weekly'],
    ['https://evil.example/abc-defg-hij', null],
    ['https://meet.example/a/b', null],
    ['', null],
    ['hello world', null],
    ['../etc', null],
  ])('%j → %j', (input, want) => expect(parseRoomInput(input, origin)).toBe(want));
});
