import { EnduserConfig } from './enduser.config';

/** The countries this data centre serves (the MCC rule), from DATA_CENTER_COUNTRIES. */
export class DataCenter {
  private constructor(private readonly countries: ReadonlySet<string> | null) {}

  static fromConfig(config: EnduserConfig): DataCenter {
    return new DataCenter(config.dataCenterCountries === null ? null : new Set(config.dataCenterCountries));
  }

  serves(country: string): boolean {
    return this.countries === null || this.countries.has(country);
  }
}
