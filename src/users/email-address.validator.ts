import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidEmail } from './normalization';

/** The one definition of a valid email, for DTOs; the same test UsersService applies. */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isEmailAddress',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a valid email address', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidEmail(value) },
    });
}
