import { LANGUAGES, NATIONALITIES, TIMEZONES } from './reference-data';

const offsetFormats = new Map<string, Intl.DateTimeFormat | null>();

/** The zone's UTC offset right now (`+08:00`), or null for a zone this runtime's ICU does not know. */
function currentOffset(zone: string, now: Date): string | null {
  if (!offsetFormats.has(zone)) {
    try {
      offsetFormats.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }));
    } catch {
      offsetFormats.set(zone, null);
    }
  }
  const name = offsetFormats
    .get(zone)
    ?.formatToParts(now)
    .find((part) => part.type === 'timeZoneName')?.value;
  if (name === undefined) {
    return null;
  }
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

export function languageList(chinese: boolean) {
  return LANGUAGES.map(({ id, code, name, nameZh }) => ({ id, code, name: chinese ? nameZh : name }));
}

export function nationalityList(chinese: boolean) {
  return NATIONALITIES.map(({ id, code, name, nameZh }) => ({ id, code, name: chinese ? nameZh : name }));
}

export function timezoneList(now = new Date()) {
  return TIMEZONES.map(({ id, zone }) => ({ id, zone, offset: currentOffset(zone, now) }));
}
