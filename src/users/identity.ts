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

/** Scripts that "moderately restrictive" never lets join Latin: most of their letters look like Latin ones. */
const NEVER_WITH_LATIN = new Set(['Cyrl', 'Grek']);

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
 * Latin with one other script that is neither Cyrillic nor Greek. Common and Inherited characters
 * (digits, punctuation, combining marks) go with any script.
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
  const others = new Set(perChar.flat().filter((code) => code !== 'Latn' && !NEVER_WITH_LATIN.has(code)));
  const allowed = [...CJK_WITH_LATIN, ...[...others].map((code) => ['Latn', code])];
  return allowed.some((set) => perChar.every((scripts) => scripts.some((code) => set.includes(code))));
}

/** UTS #39 §4 skeleton: NFD, each character replaced by its confusable prototype, NFD again. */
export function skeleton(value: string): string {
  let mapped = '';
  for (const char of value.normalize('NFD')) {
    mapped += PROTOTYPES.get(char) ?? char;
  }
  return mapped.normalize('NFD');
}

/** What the unique indexes hold: a fixed-length digest, since a skeleton can be several times longer than its name. */
function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
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

/** The username's skeleton digest: two names with one digest look alike. */
export function usernameSkeleton(username: string): string {
  return digest(skeleton(normalizeUsername(username)));
}

/**
 * The address's skeleton digest: the local part's skeleton and the domain's ASCII form, so that
 * `jоhn@example.com` (Cyrillic о) and `john@example.com`, or `p@bücher.de` and `p@xn--bcher-kva.de`,
 * name one mailbox. Null when the domain has no ASCII form.
 */
export function emailSkeleton(email: string): string | null {
  const { local, domain } = splitEmail(normalizeEmail(email));
  const ascii = asciiDomain(domain);
  return ascii === null ? null : digest(`${skeleton(local)}@${ascii}`);
}

/** A username a new user may take: not a mix of scripts meant to look like another name. */
export function isSingleScriptUsername(username: string): boolean {
  return isModeratelyRestrictive(normalizeUsername(username));
}

/**
 * An address a new user may take: neither the local part nor any label of the domain (read in
 * Unicode, so that its punycode form is judged alike) mixes scripts, and the domain has an ASCII form.
 */
export function isSingleScriptEmail(email: string): boolean {
  const { local, domain } = splitEmail(normalizeEmail(email));
  const ascii = asciiDomain(domain);
  return ascii !== null && isModeratelyRestrictive(local) && domainToUnicode(ascii).split('.').every(isModeratelyRestrictive);
}
