import { LANGUAGES } from './languages.data';
import { MCC_COUNTRIES } from './mcc.data';
import { NATIONALITIES } from './nationalities.data';
import type { LanguageEntry, NationalityEntry, TimezoneEntry } from './reference-data.types';
import { TIMEZONES } from './timezones.data';

export type { LanguageEntry, NationalityEntry, TimezoneEntry } from './reference-data.types';
export { LANGUAGES, MCC_COUNTRIES, NATIONALITIES, TIMEZONES };

const byId = <T extends { id: number }>(entries: readonly T[]): ReadonlyMap<number, T> =>
  new Map(entries.map((entry) => [entry.id, entry]));

const languagesById = byId(LANGUAGES);
const nationalitiesById = byId(NATIONALITIES);
const timezonesById = byId(TIMEZONES);
const mccCountries: ReadonlyMap<number, string> = new Map(Object.entries(MCC_COUNTRIES).map(([mcc, country]) => [Number(mcc), country]));

export function findLanguage(id: number): LanguageEntry | undefined {
  return languagesById.get(id);
}

export function findNationality(id: number): NationalityEntry | undefined {
  return nationalitiesById.get(id);
}

export function findTimezone(id: number): TimezoneEntry | undefined {
  return timezonesById.get(id);
}

export function countryOfMcc(mcc: number): string | undefined {
  return mccCountries.get(mcc);
}
