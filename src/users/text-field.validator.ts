import { registerDecorator, ValidationOptions } from 'class-validator';
import { hasForbiddenTextCharacters } from './normalization';

/** Free text without controls, invisible format characters or lone surrogates, for DTOs; the rule of `hasForbiddenTextCharacters`. */
export function IsCleanText(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCleanText',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must not contain control, invisible, private-use or unassigned characters', ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || !hasForbiddenTextCharacters(value) },
    });
}
