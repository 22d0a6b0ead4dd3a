import { createHash } from 'node:crypto';
import { domainToASCII, domainToUnicode } from 'node:url';
import { CONFUSABLE_ENTRIES, SCRIPT_CODES } from './identity.data';
import { normalizeEmail, normalizeUsername } from './normalization';

const PROTOTYPES = new Map(
  CONFUSABLE_ENTRIES.map((entry) => {
    const [source, target] = entry.split(':');
    return [String.fromCodePoint(parseInt(source, 16)), String.fromCodePoint(...target.split(' ').map((hex) => parseInt(hex, 16)))];
  }),
);

/**
 * The scripts this Node's regular expressions know; a script newer than its Unicode data has only
 * characters it sees as unassigned, which usernames refuse anyway.
 */
const SCRIPTS: readonly [string, RegExp][] = SCRIPT_CODES.flatMap((code): [string, RegExp][] => {
  try {
    return [[code, new RegExp(`^\\p{Script_Extensions=${code}}$`, 'u')]];
  } catch {
    return [];
  }
});

const COMMON_OR_INHERITED = /^[\p{Script_Extensions=Zyyy}\p{Script_Extensions=Zinh}]$/u;
const ASCII_LETTER = /^[A-Za-z]$/;

/** UTS #39 §5.1: a Han character also counts as Japanese, Korean and Han-with-Bopomofo, and so on. */
const AUGMENTED: Readonly<Record<string, readonly string[]>> = {
  Hani: ['Hanb', 'Jpan', 'Kore'],
  Hira: ['Jpan'],
  Kana: ['Jpan'],
  Hang: ['Kore'],
  Bopo: ['Hanb'],
};

/** The combinations UTS #39 §5.2 lets a "highly restrictive" identifier mix, hence a moderately restrictive one too. */
const CJK_WITH_LATIN: readonly (readonly string[])[] = [
  ['Latn', 'Hani', 'Hira', 'Kana'],
  ['Latn', 'Hani', 'Bopo'],
  ['Latn', 'Hani', 'Hang'],
];

/**
 * UAX #31 (Unicode 17.0) Table 5, Recommended Scripts, less Latin and the two that "moderately
 * restrictive" never lets join it, Cyrillic and Greek (most of their letters look like Latin ones):
 * the scripts a name may mix with Latin. Limited-use scripts such as Cherokee may only stand alone.
 */
const JOINS_LATIN = new Set([
  'Arab',
  'Armn',
  'Beng',
  'Bopo',
  'Deva',
  'Ethi',
  'Geor',
  'Gujr',
  'Guru',
  'Hang',
  'Hani',
  'Hebr',
  'Hira',
  'Kana',
  'Khmr',
  'Knda',
  'Laoo',
  'Mlym',
  'Mymr',
  'Orya',
  'Sinh',
  'Taml',
  'Telu',
  'Thaa',
  'Thai',
  'Tibt',
]);

/**
 * UAX #31 (Unicode 17.0) Table 5: the Recommended scripts, those in common use today, with Common and
 * Inherited. A new identifier holds only these, so a Limited Use script such as Cherokee (whose small
 * letters fold, upper-then-lower, away from the capitals confusables.txt maps to Latin) or an
 * unassigned character names no new user. UTS #39's General Security Profile draws the same line.
 */
const RECOMMENDED_ONLY = new RegExp(
  `^[${['Zyyy', 'Zinh', 'Latn', 'Cyrl', 'Grek', ...JOINS_LATIN].map((code) => `\\p{Script_Extensions=${code}}`).join('')}]*$`,
  'u',
);

/**
 * What identifiers refuse although it may show as nothing: UTS #39 drops Default_Ignorable_Code_Point
 * characters from skeletons (`hk1` and `hk1ㅤ` with a Hangul filler look alike), and U+2800, the braille
 * blank, shows as a space that is none.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/u;
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** The scripts of one character (its Script_Extensions), or none for Common and Inherited ones. */
function scriptsOf(char: string): readonly string[] {
  if (char.length === 1 && char.charCodeAt(0) < 0x80) {
    return ASCII_LETTER.test(char) ? ['Latn'] : [];
  }
  if (COMMON_OR_INHERITED.test(char)) {
    return [];
  }
  return SCRIPTS.filter(([, pattern]) => pattern.test(char)).map(([code]) => code);
}

/**
 * UTS #39 §5.2 "moderately restrictive", without its identifier-profile clause (a name may hold
 * punctuation and symbols): one script, Latin with Han and Japanese kana, Bopomofo or Hangul, or
 * Latin with one other Recommended script that is neither Cyrillic nor Greek. Common and Inherited
 * characters (digits, punctuation, combining marks) go with any script.
 */
export function isModeratelyRestrictive(value: string): boolean {
  const perChar = [...value].map(scriptsOf).filter((scripts) => scripts.length > 0);
  const augmented = perChar.map((scripts) => new Set(scripts.flatMap((code) => [code, ...(AUGMENTED[code] ?? [])])));
  const resolved = augmented.reduce<Set<string> | null>(
    (common, scripts) => (common === null ? scripts : new Set([...common].filter((code) => scripts.has(code)))),
    null,
  );
  if (resolved === null || resolved.size > 0) {
    return true;
  }
  const others = new Set(perChar.flat().filter((code) => JOINS_LATIN.has(code)));
  const allowed = [...CJK_WITH_LATIN, ...[...others].map((code) => ['Latn', code])];
  return allowed.some((set) => perChar.every((scripts) => scripts.some((code) => set.includes(code))));
}

/** UTS #39 §4 skeleton: NFD, default-ignorables removed, each character replaced by its confusable prototype, NFD again. */
export function skeleton(value: string): string {
  let mapped = '';
  for (const char of value.normalize('NFD').replace(DEFAULT_IGNORABLE, '')) {
    mapped += PROTOTYPES.get(char) ?? char;
  }
  return mapped.normalize('NFD');
}

/** What the unique indexes hold: a fixed-length digest, since a skeleton can be several times longer than its name. */
function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * The skeleton of a name compared without regard to case. confusables.txt maps capitals as drawn
 * (`I` to `l`, `0` to `O`), so the first pass must see the name before folding, or `ALIC5I` and
 * `ALIC5l` would part; the second maps what folding produced, so `BOB5O` and `BOB50` meet at `bob5o`.
 */
function caselessSkeleton(value: string, fold: (value: string) => string): string {
  return skeleton(fold(skeleton(value)));
}

/** Splits a valid address at its last `@` (a quoted local part may hold others). */
function splitEmail(email: string): { local: string; domain: string } {
  const at = email.lastIndexOf('@');
  return { local: email.slice(0, at), domain: email.slice(at + 1) };
}

/** The domain in its ASCII (IDNA) form, lower case, or null when it has none. */
export function asciiDomain(domain: string): string | null {
  return domainToASCII(domain) || null;
}

/** The username's skeleton digest after NFKC, caseless as `normalizeUsername`: two names with one digest look alike. */
export function usernameSkeleton(username: string): string {
  return digest(caselessSkeleton(username.normalize('NFKC'), (value) => value.toUpperCase().toLowerCase()));
}

/**
 * The address's skeleton digest: the local part's caseless skeleton after NFKC and the domain's ASCII
 * form, so that `jоhn@example.com` (Cyrillic о), `ｊｏｈｎ@example.com` (full width) and
 * `john@example.com`, or `p@bücher.de` and `p@xn--bcher-kva.de`, name one mailbox. Null when the
 * domain has no ASCII form.
 */
export function emailSkeleton(email: string): string | null {
  const { local, domain } = splitEmail(email.normalize('NFC'));
  const ascii = asciiDomain(domain);
  return ascii === null ? null : digest(`${caselessSkeleton(local.normalize('NFKC'), (value) => value.toLowerCase())}@${ascii}`);
}

/** A username a new user may take: nothing invisible, Recommended scripts only, and not a mix of scripts meant to look like another name. */
export function isAllowedNewUsername(username: string): boolean {
  const normalized = normalizeUsername(username);
  return (
    !INVISIBLE.test(username) &&
    !INVISIBLE.test(normalized) &&
    RECOMMENDED_ONLY.test(username) &&
    RECOMMENDED_ONLY.test(normalized) &&
    isModeratelyRestrictive(normalized)
  );
}

/**
 * An address a new user may take: nothing invisible, no quoted local part (`"p1"@example.org` is the
 * mailbox `p1@example.org` to RFC 5321, and quoting can dress one mailbox many ways), a local part in
 * Recommended scripts only, neither the local part nor any label of the domain (read in Unicode, so that its punycode form is judged alike) mixes
 * scripts, and the domain has an ASCII form.
 */
export function isAllowedNewEmail(email: string): boolean {
  const { local, domain } = splitEmail(normalizeEmail(email));
  const ascii = asciiDomain(domain);
  return (
    ascii !== null &&
    !INVISIBLE.test(email) &&
    !INVISIBLE.test(email.normalize('NFKC')) &&
    !local.startsWith('"') &&
    RECOMMENDED_ONLY.test(local) &&
    isModeratelyRestrictive(local) &&
    domainToUnicode(ascii).split('.').every(isModeratelyRestrictive)
  );
}
