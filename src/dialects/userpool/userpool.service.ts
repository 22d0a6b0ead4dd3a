import { Injectable } from '@nestjs/common';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { TokensService } from '../../tokens/tokens.service';
import { Tenant } from '../../users/entities/tenant.entity';
import { UsersService } from '../../users/users.service';
import { UserpoolProfileDto } from './dto/userpool-profile.dto';
import { meetsStrengthLevel, passwordSecurityLevel } from './userpool-password-policy';
import { userpoolSettings } from './userpool-settings';
import { presentUserpoolUser, UserpoolUserView } from './userpool-user.presenter';

/** Authing's default token lifetime: 15 days. */
export const USERPOOL_TOKEN_TTL_SECONDS = 15 * 24 * 3600;

export interface UserpoolRegistration {
  email?: string;
  username?: string;
  password: string;
  profile?: UserpoolProfileDto;
  forceLogin?: boolean;
}

@Injectable()
export class UserpoolService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
  ) {}

  async register(pool: Tenant, input: UserpoolRegistration): Promise<UserpoolUserView> {
    const level = userpoolSettings(pool).passwordStrength;
    if (!meetsStrengthLevel(input.password, level)) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_WEAK, { field: 'password', params: { level } });
    }
    const { phone, ...profile } = input.profile ?? {};
    const user = await this.users.register({
      tenant: pool,
      email: input.email,
      username: input.username,
      password: input.password,
      phone,
      registerSource: input.email === undefined ? 'basic:username-password' : 'basic:email',
      profile: { ...profile, passwordSecurityLevel: passwordSecurityLevel(input.password) },
    });
    const token = input.forceLogin
      ? await this.tokens.issue(user, `userpool:${pool.code}`, USERPOOL_TOKEN_TTL_SECONDS, {
          claims: { userpoolId: pool.code, email: user.email, username: user.username },
        })
      : null;
    if (token) {
      user.loginsCount = await this.users.recordLogin(user.id);
    }
    return presentUserpoolUser(user, pool, token);
  }
}
