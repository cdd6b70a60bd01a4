import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { checkEmails, inviteProblem, MAX_INVITEES, splitEmails } from './invite';

describe('splitEmails', () => {
  it.each([
    ['ana@example.com', ['ana@example.com']],
    ['ana@example.com, leo@example.com;zoe@example.com\nmax@example.com  bob@example.com', ['ana@example.com', 'leo@example.com', 'zoe@example.com', 'max@example.com', 'bob@example.com']],
    ['ana@example.com, ANA@example.com', ['ana@example.com']],
    [' , ;\n', []],
  ])('%j', (text, want) => expect(splitEmails(text)).toEqual(want));
});

describe('checkEmails', () => {
  it('wants at least one', () => expect(checkEmails([])).toEqual({ key: 'invite.empty' }));
  it('names the bad ones', () =>
    expect(checkEmails(['ana@example.com', 'leo', 'zoe@localhost'])).toEqual({ key: 'invite.invalid', list: 'leo, zoe@localhost' }));
  it('keeps to the server bound', () => {
    const many = Array.from({ length: MAX_INVITEES + 1 }, (_, i) => `p${i}@example.com`);
    expect(checkEmails(many)).toEqual({ key: 'invite.tooMany', max: 50 });
    expect(checkEmails(many.slice(1))).toBeNull();
  });
});

describe('inviteProblem', () => {
  it('503: no mail server', () =>
    expect(inviteProblem(new ApiError(503, 'E-mail is not configured on this server: invitations cannot be sent.'))).toEqual({ key: 'invite.noMail' }));
  it('502 part way: who got it and who did not', () =>
    expect(
      inviteProblem(
        new ApiError(502, 'The mail server stopped accepting the invitations. Sent to: a@x.io, b.c@y.org. Not sent to: d@z.fr, e@w.eu.'),
      ),
    ).toEqual({ key: 'invite.partial', sent: 'a@x.io, b.c@y.org', failed: 'd@z.fr, e@w.eu' }));
  it('502 from the first: none sent', () =>
    expect(inviteProblem(new ApiError(502, 'The mail server did not accept the invitations; none was sent.'))).toEqual({ key: 'invite.noneSent' }));
  it('403', () => expect(inviteProblem(new ApiError(403, 'You do not have permission to perform this action.'))).toEqual({ key: 'invite.forbidden' }));
  it('400 keeps the server words', () => expect(inviteProblem(new ApiError(400, 'Enter a valid email address.'))).toEqual({ text: 'Enter a valid email address.' }));
});
