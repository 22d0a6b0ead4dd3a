export type CharacterClass = 'lowercase' | 'uppercase' | 'digits' | 'symbols';

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

/** Length in characters as a person counts them, not UTF-16 units. */
export function characterLength(value: string): number {
  return [...value].length;
}
