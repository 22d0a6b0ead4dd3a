export type CharacterClass = 'lowercase' | 'uppercase' | 'digits' | 'symbols';

export const CHARACTER_CLASSES: readonly CharacterClass[] = ['digits', 'lowercase', 'symbols', 'uppercase'];

/** Which kinds of character a password uses; anything not a letter or a digit counts as a symbol. */
export function characterClasses(password: string): Set<CharacterClass> {
  const classes = new Set<CharacterClass>();
  for (const char of password) {
    if (/\p{Ll}/u.test(char)) classes.add('lowercase');
    else if (/\p{Lu}/u.test(char)) classes.add('uppercase');
    else if (/\p{Nd}/u.test(char)) classes.add('digits');
    else if (!/\p{L}/u.test(char)) classes.add('symbols');
  }
  return classes;
}

/** The classes in `required` that `password` lacks, in a stable order. */
export function missingClasses(password: string, required: readonly CharacterClass[]): CharacterClass[] {
  const present = characterClasses(password);
  return CHARACTER_CLASSES.filter((cls) => required.includes(cls) && !present.has(cls));
}

/** Length in characters as a person counts them, not UTF-16 units. */
export function characterLength(value: string): number {
  return [...value].length;
}
