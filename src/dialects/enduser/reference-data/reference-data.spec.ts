import { countryOfMcc, findLanguage, findNationality, findTimezone, LANGUAGES, MCC_COUNTRIES, NATIONALITIES, TIMEZONES } from './index';

/**
 * Clients store these ids, so they are frozen: the generator keeps every existing id and appends new
 * entries after the maximum. A change to any row below is a breaking change for deployed apps.
 */
const FROZEN_LANGUAGES: readonly (readonly [number, string, string])[] = [
  [1, 'aa', 'Afar'],
  [32, 'de', 'German'],
  [37, 'en', 'English'],
  [182, 'zh', 'Chinese'],
  [183, 'zu', 'Zulu'],
];
const FROZEN_NATIONALITIES: readonly (readonly [number, string, string])[] = [
  [1, 'AD', '安道尔'],
  [48, 'CN', '中国'],
  [57, 'DE', '德国'],
  [77, 'GB', '英国'],
  [233, 'US', '美国'],
  [250, 'ZW', '津巴布韦'],
];
const FROZEN_TIMEZONES: readonly (readonly [number, string])[] = [
  [1, 'Africa/Abidjan'],
  [225, 'Asia/Calcutta'],
  [273, 'Asia/Shanghai'],
  [317, 'Europe/Berlin'],
  [333, 'Europe/Kiev'],
  [419, 'UTC'],
  [432, 'Asia/Kolkata'],
  [435, 'Europe/Kyiv'],
];

describe('enduser reference data', () => {
  it.each(FROZEN_LANGUAGES)('language id %i stays %s (%s)', (id, code, name) => {
    expect(findLanguage(id)).toMatchObject({ id, code, name });
  });

  it.each(FROZEN_NATIONALITIES)('country id %i stays %s (%s)', (id, code, nameZh) => {
    expect(findNationality(id)).toMatchObject({ id, code, nameZh });
  });

  it.each(FROZEN_TIMEZONES)('time zone id %i stays %s', (id, zone) => {
    expect(findTimezone(id)).toEqual({ id, zone });
  });

  // Entries are never dropped and new ones take max + 1, so a table's ids are exactly 1..n in file order.
  describe.each([
    ['LANGUAGES', LANGUAGES, 183],
    ['NATIONALITIES', NATIONALITIES, 250],
    ['TIMEZONES', TIMEZONES, 438],
  ] as const)('%s', (_name, table, frozenRows) => {
    it('numbers its rows 1..n in order, with no gap and no reuse', () => {
      expect(table.map((entry) => entry.id)).toEqual(Array.from({ length: table.length }, (_, i) => i + 1));
    });

    it(`keeps at least the ${frozenRows} rows it was first shipped with`, () => {
      expect(table.length).toBeGreaterThanOrEqual(frozenRows);
    });
  });

  it('has unique, well-formed codes and zones', () => {
    expect(new Set(LANGUAGES.map((entry) => entry.code)).size).toBe(LANGUAGES.length);
    expect(new Set(NATIONALITIES.map((entry) => entry.code)).size).toBe(NATIONALITIES.length);
    expect(new Set(TIMEZONES.map((entry) => entry.zone)).size).toBe(TIMEZONES.length);
    expect(LANGUAGES.filter((entry) => !/^[a-z]{2}$/.test(entry.code))).toEqual([]);
    expect(NATIONALITIES.filter((entry) => !/^[A-Z]{2}$/.test(entry.code))).toEqual([]);
    expect(TIMEZONES.filter((entry) => !/^(UTC|[A-Z][A-Za-z_-]+(\/[A-Za-z0-9_+-]+)+)$/.test(entry.zone))).toEqual([]);
  });

  it('has a Chinese name for every country', () => {
    expect(NATIONALITIES.filter((entry) => !/[\u4e00-\u9fff]/.test(entry.nameZh))).toEqual([]);
  });

  it.each([0, -1, 1.5, 999_999, Number.NaN])('returns undefined for id %p', (id) => {
    expect(findLanguage(id)).toBeUndefined();
    expect(findNationality(id)).toBeUndefined();
    expect(findTimezone(id)).toBeUndefined();
  });

  it.each([
    [460, 'CN'],
    [310, 'US'],
    [234, 'GB'],
    [208, 'FR'],
    [505, 'AU'],
  ])('maps MCC %p to %s', (mcc, country) => {
    expect(countryOfMcc(mcc)).toBe(country);
  });

  it.each([1, 901, 999, 0, 1000])('maps non-country MCC %p to undefined', (mcc) => {
    expect(countryOfMcc(mcc)).toBeUndefined();
  });

  it('maps every MCC to a country of the nationality table', () => {
    const countries = new Set(NATIONALITIES.map((entry) => entry.code));
    expect(Object.values(MCC_COUNTRIES).filter((country) => !countries.has(country))).toEqual([]);
  });
});
