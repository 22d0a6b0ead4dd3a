import { Injectable } from '@nestjs/common';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { Tenant } from '../../users/entities/tenant.entity';
import { CodePurpose } from '../../users/entities/verification-code.entity';
import { RegistrationClaim } from '../../users/registration-claim';
import { UsersService } from '../../users/users.service';
import { VerificationCodesService } from '../../users/verification-codes.service';
import { UserpoolProfileDto } from './dto/userpool-profile.dto';
import { meetsStrengthLevel, passwordSecurityLevel } from './userpool-password-policy';
import { mobileOf } from './userpool-phone';
import { userpoolSettings } from './userpool-settings';
import { UserpoolTokensService } from './userpool-tokens.service';
import { presentUserpoolUser, UserpoolUserView } from './userpool-user.presenter';

export interface UserpoolRegistration {
  email?: string;
  username?: string;
  /** Absent only with a code (`register/email-code`): the user then signs in by email code. */
  password?: string;
  /** A code sent with scene REGISTER_VERIFY_CODE (or VERIFY_CODE to a new address), proving the email. */
  code?: string;
  profile?: UserpoolProfileDto;
  forceLogin?: boolean;
}

/** Registration in a userpool (docs/dialects/userpool.md). */
@Injectable()
export class UserpoolService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: UserpoolTokensService,
    private readonly codes: VerificationCodesService,
  ) {}

  /**
   * A profile `phone` that is a mobile (`mobileOf`) is also the user's sign-in phone, unique in the pool as
   * Authing keeps it (2026 when taken); any other phone is only shown.
   */
  async register(pool: Tenant, input: UserpoolRegistration, ip?: string): Promise<UserpoolUserView> {
    const level = userpoolSettings(pool).passwordStrength;
    if (input.password !== undefined && !meetsStrengthLevel(input.password, level)) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_WEAK, { field: 'password', params: { level } });
    }
    const claims: RegistrationClaim[] =
      input.code === undefined || input.email === undefined
        ? []
        : [this.codes.claim({ tenantId: pool.id, email: input.email, purpose: CodePurpose.Registration }, input.code)];
    const { phone, ...profile } = input.profile ?? {};
    const user = await this.users.register({
      tenant: pool,
      email: input.email,
      username: input.username,
      password: input.password,
      phone,
      mobile: (phone && mobileOf(phone)) ?? undefined,
      registerSource: this.sourceOf(input),
      profile: input.password === undefined ? profile : { ...profile, passwordSecurityLevel: passwordSecurityLevel(input.password) },
      claims,
      fields: { mobile: 'profile.phone' },
    });
    if (!input.forceLogin) {
      return presentUserpoolUser(user, pool, { newUser: true });
    }
    const token = await this.tokens.issue(user, pool);
    Object.assign(user, await this.users.recordLogin(user.id, { source: 'login:register', ip }));
    return presentUserpoolUser(user, pool, { token, newUser: true });
  }

  private sourceOf(input: UserpoolRegistration): string {
    if (input.email === undefined) {
      return 'basic:username-password';
    }
    return input.code === undefined ? 'basic:email' : 'basic:email-code';
  }
}
