import { DomainError } from '../../error-codes/domain-error';
import { ErrorCode } from '../../error-codes/error-code';

/**
 * Discuz! Q's NoUserException: an identity proved elsewhere (a WeChat user, a mobile) that no account has
 * yet. Its error object carries `token`, the session token a later register or login binds ("" where none
 * is issued), again as `meta.token`, and `user`, what the client may show of the identity, or null.
 */
export class NoBindUserError extends DomainError {
  constructor(
    code: ErrorCode,
    readonly token: string,
    readonly user: Readonly<Record<string, string>> | null,
  ) {
    super(code);
  }
}
