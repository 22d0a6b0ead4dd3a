import { characterClasses, characterLength } from '../../users/password-rules';
import { PasswordStrengthLevel } from './userpool-settings';

/** How many of letters, digits and symbols a password mixes. */
function kinds(password: string): number {
  const classes = characterClasses(password);
  const letters = /\p{L}/u.test(password);
  return Number(letters) + Number(classes.has('digits')) + Number(classes.has('symbols'));
}

/**
 * Level 0: anything non-empty; 1: at least 6 characters; 2: at least 6 mixing two of letters, digits
 * and symbols; 3: at least 6 mixing all three.
 */
export function meetsStrengthLevel(password: string, level: PasswordStrengthLevel): boolean {
  if (level === 0) {
    return password.length > 0;
  }
  if (characterLength(password) < 6) {
    return false;
  }
  return level === 1 || kinds(password) >= level;
}

/** Authing's passwordSecurityLevel: 1 weak, 2 medium, 3 strong. */
export function passwordSecurityLevel(password: string): number {
  if (characterLength(password) < 6) {
    return 1;
  }
  return Math.max(1, kinds(password));
}
