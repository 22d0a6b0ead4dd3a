import { AppConfig, ConfigError } from '../../config/app-config';
import { DataCenter } from './data-center';

const withCountries = (countries: string[] | null) => ({ dataCenter: { countries } }) as AppConfig;

describe('DataCenter', () => {
  it('serves every country when DATA_CENTER_COUNTRIES is all', () => {
    expect(DataCenter.fromConfig(withCountries(null)).serves('CN')).toBe(true);
  });

  it('serves only the listed countries', () => {
    const center = DataCenter.fromConfig(withCountries(['CN', 'US']));
    expect(center.serves('US')).toBe(true);
    expect(center.serves('DE')).toBe(false);
  });

  it.each(['XX', 'EU', 'ZZ'])('refuses %s, which is no country of the nationality table, naming the variable', (code) => {
    expect(() => DataCenter.fromConfig(withCountries(['CN', code]))).toThrow(ConfigError);
    expect(() => DataCenter.fromConfig(withCountries(['CN', code]))).toThrow(`DATA_CENTER_COUNTRIES names ${code}`);
  });
});
