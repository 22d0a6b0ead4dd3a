import { Injectable } from '@nestjs/common';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { DomainError, FieldError } from '../../../error-codes/domain-error';
import { Tenant } from '../../../users/entities/tenant.entity';
import { User } from '../../../users/entities/user.entity';
import { RegistrationClaim } from '../../../users/registration-claim';
import { UsersService } from '../../../users/users.service';
import { JsonApiUsersErrorCode as J } from '../jsonapi-users.error-map';
import { SessionTokenClaim, SessionTokensService } from '../session-tokens.service';

/** Discuz! Q's mobile session token lives an hour (`SessionToken::generate('mobile', …, 3600)`). */
export const MOBILE_TOKEN_TTL_SECONDS = 3600;

/** The attribute register and login read it from. */
const FIELD = 'mobileToken';

/** A mobile an SMS code proved, carried by a live session token to the register or login that binds it. */
export interface MobileBinding {
  mobile: string;
  token: SessionTokenClaim;
}

/** What a register or login makes of its `mobileToken`: nothing, the binding, or why the token is refused. */
export type CheckedMobileToken = { binding?: MobileBinding; errors: FieldError[] };

/**
 * The `mobileToken` of `no_bind_user`: issued when a mobile proved by SMS has no user, spent by the register
 * that creates its user (in the user's own transaction) or by the login that binds it to an existing one.
 */
@Injectable()
export class MobileTokensService {
  constructor(
    private readonly sessionTokens: SessionTokensService,
    private readonly users: UsersService,
  ) {}

  issue(site: Tenant, mobile: string): Promise<string> {
    return this.sessionTokens.issue(site, 'mobile', { mobile }, MOBILE_TOKEN_TTL_SECONDS);
  }

  /**
   * Null or empty is no token (the web client sends null when it has none); another type, or a token that
   * is unknown, spent, expired or not a mobile's, is an error at `mobileToken`.
   */
  async check(site: Tenant, value: unknown): Promise<CheckedMobileToken> {
    if (value === undefined || value === null || value === '') {
      return { errors: [] };
    }
    if (typeof value !== 'string') {
      return { errors: [{ field: FIELD, code: DomainErrorCode.VALIDATION_FAILED, params: { rule: 'string' } }] };
    }
    const token = this.sessionTokens.claim(site, value, ['mobile'], FIELD);
    try {
      const { payload } = await token.check();
      if (typeof payload.mobile !== 'string') {
        return { errors: [{ field: FIELD, code: DomainErrorCode.VALIDATION_FAILED, params: { rule: 'exists' } }] };
      }
      return { binding: { mobile: payload.mobile, token }, errors: [] };
    } catch (error) {
      if (error instanceof DomainError && error.fieldErrors.length) {
        return { errors: error.fieldErrors };
      }
      throw error;
    }
  }

  /** For `UsersService.register({mobile, claims})`: the token is spent with the insert that binds its mobile. */
  registrationClaim(binding: MobileBinding): RegistrationClaim {
    return {
      provesEmail: false,
      check: async () => {
        await binding.token.check();
      },
      spend: (transaction) => binding.token.spend(transaction),
    };
  }

  /**
   * For a login: the mobile is bound to the signed-in user in the transaction that spends the token. As in
   * the original, a mobile any user has (as a username too) is `mobile_is_already_bind`, and a user with a mobile `user_has_mobile`;
   * the unique index still decides a race.
   */
  async loginClaim(user: User, binding: MobileBinding): Promise<RegistrationClaim> {
    if (await this.users.mobileTaken(user.tenantId, binding.mobile, user)) {
      throw new DomainError(DomainErrorCode.PHONE_TAKEN, { field: FIELD });
    }
    if (user.phoneNormalized !== null) {
      throw new DomainError(J.USER_HAS_MOBILE, { field: FIELD });
    }
    return {
      provesEmail: false,
      check: async () => {
        await binding.token.check();
      },
      spend: async (transaction, userId) => {
        await binding.token.spend(transaction);
        await this.users.setMobile({ id: userId }, binding.mobile, { transaction, field: FIELD, source: 'mobile.bind' });
      },
    };
  }
}
