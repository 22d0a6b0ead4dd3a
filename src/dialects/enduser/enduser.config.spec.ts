import { ConfigError, loadConfig } from '../../config/app-config';
import { ENDUSER_CONFIG, enduserConfig } from './enduser.config';

describe('enduser config (DATA_CENTER_COUNTRIES)', () => {
  const load = (env: Record<string, string>) =>
    loadConfig({ DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16), ...env }, [enduserConfig]);

  it('serves all countries by default', () => {
    expect(load({}).sections.get(ENDUSER_CONFIG)).toEqual({ dataCenterCountries: null });
    expect(load({ DATA_CENTER_COUNTRIES: 'all' }).sections.get(ENDUSER_CONFIG)).toEqual({ dataCenterCountries: null });
  });

  it('parses a country list', () => {
    expect(load({ DATA_CENTER_COUNTRIES: 'cn, us' }).sections.get(ENDUSER_CONFIG)).toEqual({ dataCenterCountries: ['CN', 'US'] });
  });

  it.each([
    ['CN;US', /^DATA_CENTER_COUNTRIES="CN;US" must be "all" or comma-separated ISO 3166 alpha-2 codes$/],
    ['CHN', /^DATA_CENTER_COUNTRIES/],
  ])('refuses %j with one line naming the variable', (value, message) => {
    expect(() => load({ DATA_CENTER_COUNTRIES: value })).toThrow(ConfigError);
    expect(() => load({ DATA_CENTER_COUNTRIES: value })).toThrow(message);
  });

  it.each(['XX', 'EU', 'ZZ'])('refuses %s, which is no country of the nationality table, naming the variable', (code) => {
    expect(() => load({ DATA_CENTER_COUNTRIES: `CN,${code}` })).toThrow(ConfigError);
    expect(() => load({ DATA_CENTER_COUNTRIES: `CN,${code}` })).toThrow(
      `DATA_CENTER_COUNTRIES names ${code}, which is not an ISO 3166 country code`,
    );
  });
});
