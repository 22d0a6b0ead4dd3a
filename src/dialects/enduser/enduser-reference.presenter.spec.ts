import { languageList, nationalityList, timezoneList } from './enduser-reference.presenter';

describe('enduser reference lists', () => {
  it('names languages and countries in the asked language', () => {
    expect(languageList(false).find((l) => l.code === 'en')?.name).toBe('English');
    expect(nationalityList(true).find((c) => c.code === 'CN')?.name).toBe('中国');
  });

  it('gives each zone its offset at the given moment', () => {
    const winter = new Date('2026-01-15T12:00:00Z');
    const summer = new Date('2026-07-15T12:00:00Z');
    const zone = (name: string, at: Date) => timezoneList(at).find((z) => z.zone === name)?.offset;
    expect(zone('Asia/Shanghai', winter)).toBe('+08:00');
    expect(zone('UTC', winter)).toBe('+00:00');
    expect(zone('Europe/Berlin', winter)).toBe('+01:00');
    expect(zone('Europe/Berlin', summer)).toBe('+02:00');
    expect(zone('Asia/Kolkata', winter)).toBe('+05:30');
    expect(zone('Asia/Calcutta', winter)).toBe('+05:30');
  });
});
