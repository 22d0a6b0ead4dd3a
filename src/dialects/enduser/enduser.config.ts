import { IsOptional, IsString, Matches } from 'class-validator';
import { ConfigError } from '../../config/app-config';
import { configSection } from '../../config/config-section';
import { NATIONALITIES } from './reference-data';

/** The environment variables only the enduser dialect reads. */
class EnduserVariables {
  @IsOptional()
  @IsString()
  @Matches(/^(all|[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*)$/, {
    message: 'must be "all" or comma-separated ISO 3166 alpha-2 codes',
  })
  DATA_CENTER_COUNTRIES: string = 'all';
}

export interface EnduserConfig {
  /** ISO 3166 alpha-2 codes (upper case) this data centre serves, or null for all (the MCC rule). */
  dataCenterCountries: readonly string[] | null;
}

export const ENDUSER_CONFIG = Symbol('ENDUSER_CONFIG');

/**
 * Refuses a country the nationality table does not know, since that is the table MCCs map into: a region
 * such as `EU` would silently match nothing. Checked with the rest of the environment, so that a bad value
 * stops the service, the CLI and the primary of several workers alike.
 */
function enduserSettings({ DATA_CENTER_COUNTRIES }: EnduserVariables): EnduserConfig {
  if (DATA_CENTER_COUNTRIES === 'all') {
    return { dataCenterCountries: null };
  }
  const codes = DATA_CENTER_COUNTRIES.split(',').map((code) => code.trim().toUpperCase());
  const known = new Set(NATIONALITIES.map((country) => country.code));
  const unknown = codes.find((code) => !known.has(code));
  if (unknown) {
    throw new ConfigError(`DATA_CENTER_COUNTRIES names ${unknown}, which is not an ISO 3166 country code`);
  }
  return { dataCenterCountries: codes };
}

export const enduserConfig = configSection(ENDUSER_CONFIG, EnduserVariables, enduserSettings);
