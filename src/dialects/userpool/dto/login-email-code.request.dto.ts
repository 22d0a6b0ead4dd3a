import { CodeField, EmailField } from './userpool-fields.decorators';

/** Field order is check order: the first failing field decides the error code. */
export class LoginEmailCodeRequestDto {
  @EmailField()
  email: string;

  @CodeField()
  code: string;
}
