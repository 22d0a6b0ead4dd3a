export interface LanguageEntry {
  readonly id: number;
  /** ISO 639-1 two-letter code, lowercase. */
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
}

export interface NationalityEntry {
  readonly id: number;
  /** ISO 3166-1 alpha-2 code, uppercase. */
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
}

export interface TimezoneEntry {
  readonly id: number;
  /** IANA time zone name; offsets are computed at request time because they change with DST. */
  readonly zone: string;
}
