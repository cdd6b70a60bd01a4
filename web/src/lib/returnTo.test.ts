import { describe, expect, it } from 'vitest';
import { returnToAfterSignIn } from './returnTo';

const origin = 'https://meet.example.org';

describe('returnToAfterSignIn', () => {
  it('follows same-origin paths and URLs', () => {
    expect(returnToAfterSignIn('?returnTo=%2Fteam%3Fx%3D1', origin)).toBe('/team?x=1');
    expect(returnToAfterSignIn('?returnTo=' + encodeURIComponent(origin + '/room#a'), origin)).toBe('/room#a');
  });
  it('ignores missing, home and foreign targets', () => {
    expect(returnToAfterSignIn('', origin)).toBeNull();
    expect(returnToAfterSignIn('?returnTo=%2F', origin)).toBeNull();
    expect(returnToAfterSignIn('?returnTo=' + encodeURIComponent('https://evil.example/'), origin)).toBeNull();
    expect(returnToAfterSignIn('?returnTo=' + encodeURIComponent('//evil.example/x'), origin)).toBeNull();
    expect(returnToAfterSignIn('?returnTo=' + encodeURIComponent('javascript:alert(1)'), origin)).toBeNull();
  });
});
