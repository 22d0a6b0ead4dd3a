import {
  countryOfMcc,
  findLanguage,
  findNationality,
  findTimezone,
  LANGUAGES,
  MCC_COUNTRIES,
  NATIONALITIES,
  TIMEZONES,
} from './index';

describe('enduser reference data', () => {
  describe.each([
    ['LANGUAGES', LANGUAGES, 180],
    ['NATIONALITIES', NATIONALITIES, 240],
    ['TIMEZONES', TIMEZONES, 400],
  ] as const)('%s', (_name, table, minimumRows) => {
    it('has unique positive integer ids', () => {
      const ids = table.map((entry) => entry.id);
      expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it(`has at least ${minimumRows} rows`, () => {
      expect(table.length).toBeGreaterThanOrEqual(minimumRows);
    });
  });

  it('has unique codes and zones', () => {
    expect(new Set(LANGUAGES.map((entry) => entry.code)).size).toBe(LANGUAGES.length);
    expect(new Set(NATIONALITIES.map((entry) => entry.code)).size).toBe(NATIONALITIES.length);
    expect(new Set(TIMEZONES.map((entry) => entry.zone)).size).toBe(TIMEZONES.length);
  });

  it('knows English, China and Asia/Shanghai', () => {
    expect(LANGUAGES.find((entry) => entry.code === 'en')).toMatchObject({ name: 'English' });
    expect(NATIONALITIES.find((entry) => entry.code === 'CN')).toMatchObject({ nameZh: '中国' });
    expect(TIMEZONES.some((entry) => entry.zone === 'Asia/Shanghai')).toBe(true);
    expect(TIMEZONES.some((entry) => entry.zone === 'UTC')).toBe(true);
  });

  it('finds entries by id', () => {
    for (const entry of LANGUAGES) expect(findLanguage(entry.id)).toBe(entry);
    for (const entry of NATIONALITIES) expect(findNationality(entry.id)).toBe(entry);
    for (const entry of TIMEZONES) expect(findTimezone(entry.id)).toBe(entry);
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
    for (const country of Object.values(MCC_COUNTRIES)) expect(countries.has(country)).toBe(true);
  });
});
