import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/i18n';
import { joinLabel, recordingNotice, whoIsIn, type RoomPreview } from './preview';

const base: RoomPreview = { admission: 'direct', participants_count: 0, participants: [], recording: null, access_level: 'public' };
const say = (p: RoomPreview, lang: 'en' | 'fr' = 'en') => {
  const l = whoIsIn(p);
  return l && translate(lang, l.key, l.vars);
};

describe('prejoin preview', () => {
  it('asks to join only when someone must let the person in', () => {
    expect(translate('en', joinLabel({ ...base, admission: 'lobby' }))).toBe('Ask to join');
    expect(translate('en', joinLabel(base))).toBe('Join meeting');
    expect(translate('en', joinLabel(null))).toBe('Join meeting');
    expect(translate('fr', joinLabel({ ...base, admission: 'lobby' }))).toBe('Demander à rejoindre');
  });

  it('names who is in, counting the rest', () => {
    expect(say(base)).toBe('No one else is here yet');
    expect(say({ ...base, participants_count: 1, participants: ['Ann'] })).toBe('Ann is in the call');
    expect(say({ ...base, participants_count: 2, participants: ['Ann', 'Bob'] })).toBe('Ann and Bob are in the call');
    expect(say({ ...base, participants_count: 3, participants: ['Ann', 'Bob', 'Cid'] })).toBe('Ann, Bob and Cid are in the call');
    expect(say({ ...base, participants_count: 6, participants: ['A', 'B', 'C', 'D', 'E'] })).toBe('A, B, C, D, E and 1 other are in the call');
    expect(say({ ...base, participants_count: 9, participants: ['A', 'B', 'C', 'D', 'E'] })).toBe('A, B, C, D, E and 4 others are in the call');
    expect(say({ ...base, participants_count: 2, participants: ['Ann', 'Bob'] }, 'fr')).toBe('Ann et Bob sont dans l’appel');
  });

  it('only counts when the names are not given', () => {
    expect(say({ ...base, admission: 'lobby', participants_count: 1 })).toBe('1 person is in the call');
    expect(say({ ...base, admission: 'lobby', participants_count: 4 })).toBe('4 people are in the call');
    expect(say({ ...base, admission: 'lobby', participants_count: 4 }, 'fr')).toBe('4 personnes sont dans l’appel');
    expect(whoIsIn(null)).toBeNull();
  });

  it('warns of a recording or a transcript in progress', () => {
    expect(recordingNotice(base)).toBeNull();
    const rec = recordingNotice({ ...base, recording: { mode: 'screen_recording', status: 'active' } });
    expect(rec && translate('en', rec.key)).toBe('This meeting is being recorded');
    const tr = recordingNotice({ ...base, recording: { mode: 'transcript', status: 'initiated' } });
    expect(tr && translate('fr', tr.key)).toBe('Cette réunion est transcrite');
  });
});
