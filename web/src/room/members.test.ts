import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { RoomAccess, RoomRole } from '../api/types';
import { assignableRoles, canEdit, findAccount, isEmail, memberProblem, sortMembers } from './members';

const access = (id: string, role: RoomRole, name = '', email = `${id}@example.com`): RoomAccess => ({
  id: `a-${id}`,
  user: { id, email, full_name: name, short_name: name },
  resource: 'r1',
  role,
});

describe('isEmail', () => {
  it.each([
    ['ana@example.com', true],
    ['a.b+c@sub.example.org', true],
    ['ana@localhost', false],
    ['ana example.com', false],
    ['Ana <ana@example.com>', false],
    ['', false],
    [`${'a'.repeat(250)}@x.io`, false],
  ])('%s', (s, want) => expect(isEmail(s)).toBe(want));
});

describe('findAccount', () => {
  const results = [
    { id: '1', email: 'ana.maria@example.com' },
    { id: '2', email: 'Ana@Example.com' },
  ];
  it('matches the whole address, ignoring case and spaces', () => expect(findAccount(results, ' ana@example.COM ')?.id).toBe('2'));
  it('does not take a near match', () => expect(findAccount(results, 'ana.m@example.com')).toBeNull());
  it('finds nothing in an empty page', () => expect(findAccount([], 'ana@example.com')).toBeNull());
});

describe('canEdit', () => {
  it.each([
    [access('u2', 'member'), 'owner', true],
    [access('u2', 'administrator'), 'administrator', true],
    [access('u2', 'owner'), 'owner', false],
    [access('me', 'owner'), 'owner', true],
    [access('u2', 'member'), 'member', false],
    [access('u2', 'member'), undefined, false],
  ] as const)('%# %s', (a, role, want) => expect(canEdit(a, 'me', role)).toBe(want));
});

it('only owners make owners', () => {
  expect(assignableRoles('owner')).toEqual(['member', 'administrator', 'owner']);
  expect(assignableRoles('administrator')).toEqual(['member', 'administrator']);
});

it('sorts owners first, then by name', () => {
  const list = [access('c', 'member', 'Cy'), access('b', 'owner', 'Bo'), access('a', 'member', 'Al'), access('d', 'administrator', 'Di')];
  expect(sortMembers(list).map((a) => a.user.id)).toEqual(['b', 'd', 'a', 'c']);
});

describe('memberProblem', () => {
  it('words 403 as not allowed', () => expect(memberProblem(new ApiError(403, 'Only owners…'))).toEqual({ key: 'members.forbidden' }));
  it('keeps the server message otherwise', () =>
    expect(memberProblem(new ApiError(400, 'This user already has access.'))).toEqual({ text: 'This user already has access.' }));
});
