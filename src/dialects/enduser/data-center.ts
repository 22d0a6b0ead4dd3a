import { AppConfig, ConfigError } from '../../config/app-config';
import { NATIONALITIES } from './reference-data';

/** The countries this data centre serves (the MCC rule); built once at start from DATA_CENTER_COUNTRIES. */
export class DataCenter {
  private constructor(private readonly countries: ReadonlySet<string> | null) {}

  /**
   * Refuses a country the nationality table does not know, since that is the table MCCs map into:
   * a region such as `EU` would silently match nothing.
   */
  static fromConfig(config: AppConfig): DataCenter {
    const codes = config.dataCenter.countries;
    if (codes === null) {
      return new DataCenter(null);
    }
    const known = new Set(NATIONALITIES.map((country) => country.code));
    const unknown = codes.find((code) => !known.has(code));
    if (unknown) {
      throw new ConfigError(`DATA_CENTER_COUNTRIES names ${unknown}, which is not an ISO 3166 country code`);
    }
    return new DataCenter(new Set(codes));
  }

  serves(country: string): boolean {
    return this.countries === null || this.countries.has(country);
  }
}
