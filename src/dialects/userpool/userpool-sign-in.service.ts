import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { MailService } from '../../mail/mail.service';
import { AttemptCounterService } from '../../rate-limit/attempt-counter.service';
import { allowsCommonPasswords, isCommonPassword } from '../../users/common-passwords';
import { Tenant } from '../../users/entities/tenant.entity';
import { User } from '../../users/entities/user.entity';
import { CodePurpose } from '../../users/entities/verification-code.entity';
import { isValidEmail } from '../../users/normalization';
import { Credentials, UsersService } from '../../users/users.service';
import { VerificationCodesService } from '../../users/verification-codes.service';
import { LoginAccountRequestDto } from './dto/login-account.request.dto';
import { LoginEmailCodeRequestDto } from './dto/login-email-code.request.dto';
import { ResetPasswordEmailRequestDto } from './dto/reset-password-email.request.dto';
import { EmailScene, SendEmailRequestDto } from './dto/send-email.request.dto';
import { UpdatePasswordRequestDto } from './dto/update-password.request.dto';
import { codeMail, UserpoolCodePurpose } from './userpool-mail';
import { meetsStrengthLevel } from './userpool-password-policy';
import { mobileOf } from './userpool-phone';
import { loginPolicyOf, userpoolSettings } from './userpool-settings';
import { SignedIn } from './userpool-token.guard';
import { USERPOOL_TOKEN_TTL_SECONDS, UserpoolTokensService } from './userpool-tokens.service';
import { presentUserpoolUser, UserpoolUserView } from './userpool-user.presenter';
import { UserpoolErrorCode } from './userpool.error-map';

/** Where a request came from: the client the failure counters count (`clientOf`) and its address (`clientAddressOf`). */
export interface Caller {
  client: string;
  ip?: string;
}

/** A mobile as an account: digits with an optional `+`, spaces and dashes (`mobileOf` decides). */
const PHONE_SHAPED = /^\+?[\d -]+$/;

/**
 * Signing in to a userpool and what a signed-in user does (docs/dialects/userpool.md): password and email-code
 * logins, codes by email, the current user, a fresh token, logout, and password reset and change. Logout, reset
 * and change end every session of the user (`UsersService.endSessions`), so earlier tokens fail at once.
 */
@Injectable()
export class UserpoolSignInService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: UserpoolTokensService,
    private readonly codes: VerificationCodesService,
    private readonly mail: MailService,
    private readonly attempts: AttemptCounterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A wrong password and an unknown account are one answer (2333) at one cost. Failures count per account and
   * client under the pool's limit (`userpool set --login-failures`), and per account from everywhere (21 in 15 minutes).
   */
  async loginByAccount(pool: Tenant, body: LoginAccountRequestDto, caller: Caller): Promise<UserpoolUserView> {
    const credentials = this.accountName(body.account);
    const policy = loginPolicyOf(pool, this.attempts.loginPolicy);
    const budget = (account: string) => this.attempts.loginBudget(`${pool.id}\n${account}`, caller.client, policy);
    const user = await this.users.authenticate({
      tenant: pool,
      ...credentials,
      password: body.password,
      budget,
      ip: caller.ip,
      source: 'login:password',
    });
    return this.signedIn(pool, user);
  }

  async sendEmail(pool: Tenant, body: SendEmailRequestDto): Promise<void> {
    const purpose = await this.purposeOf(pool, body.email, body.scene);
    await this.codes.send({ tenantId: pool.id, email: body.email, purpose }, (code) =>
      this.mail.send(codeMail(body.email, code, purpose, this.config.codes.ttlSeconds)),
    );
  }

  /** The code is spent whether or not the account may sign in: a disabled user (2005) learns it only with a right code. */
  async loginByEmailCode(pool: Tenant, body: LoginEmailCodeRequestDto, caller: Caller): Promise<UserpoolUserView> {
    const user = await this.requireUser(pool, body.email);
    await this.codes.spend({ tenantId: pool.id, email: body.email, purpose: CodePurpose.Login }, body.code);
    this.users.assertActive(user);
    Object.assign(user, await this.users.recordLogin(user.id, { source: 'login:email-code', ip: caller.ip }));
    return this.signedIn(pool, user);
  }

  /** The caller, with the token it came with. */
  me(pool: Tenant, { user, token }: SignedIn): UserpoolUserView {
    return presentUserpoolUser(user, pool, { token: this.tokens.presented(token) });
  }

  /** Authing's `{token, iat, exp}`: a new token of the same user, the presented one left to expire. */
  async refreshToken(pool: Tenant, { user }: SignedIn): Promise<{ token: string; iat: number; exp: number }> {
    const issued = await this.tokens.issue(user, pool);
    const exp = Math.floor(issued.expiresAt.getTime() / 1000);
    return { token: issued.token, iat: exp - USERPOOL_TOKEN_TTL_SECONDS, exp };
  }

  async logout({ user }: SignedIn): Promise<void> {
    await this.users.endSessions(user.id);
  }

  async resetPasswordByEmail(pool: Tenant, body: ResetPasswordEmailRequestDto): Promise<void> {
    this.assertNewPasswordAllowed(pool, body.newPassword);
    const user = await this.requireUser(pool, body.email);
    await this.codes.spend({ tenantId: pool.id, email: body.email, purpose: CodePurpose.ResetPassword }, body.code);
    this.users.assertActive(user);
    await this.users.setPassword(user, body.newPassword, pool, { source: 'password.reset', field: 'newPassword' });
    await this.users.endSessions(user.id);
  }

  /**
   * Every session ends, the caller's too; the answer carries a new token, issued after the end, so the
   * client that changed the password stays signed in. The old password is a guess like a login's and is
   * counted so, per user and client.
   */
  async updatePassword(pool: Tenant, { user }: SignedIn, body: UpdatePasswordRequestDto, caller: Caller): Promise<UserpoolUserView> {
    this.assertNewPasswordAllowed(pool, body.newPassword);
    await this.assertOldPassword(pool, user, body.oldPassword, caller);
    await this.users.setPassword(user, body.newPassword, pool, { source: 'password.change', field: 'newPassword' });
    await this.users.endSessions(user.id);
    const current = await this.users.find(pool.id, user.id);
    if (!current) {
      throw new DomainError(DomainErrorCode.UNAUTHORIZED, { field: 'Authorization' });
    }
    return presentUserpoolUser(current, pool, { token: await this.tokens.issue(current, pool) });
  }

  private async signedIn(pool: Tenant, user: User): Promise<UserpoolUserView> {
    return presentUserpoolUser(user, pool, { token: await this.tokens.issue(user, pool) });
  }

  /**
   * An account with a valid email address is an email; one shaped like a phone is a username, else a mobile
   * (`authenticate` tries them in that order, at one cost, and no username may spell another user's mobile);
   * anything else is a username.
   */
  private accountName(account: string): Pick<Credentials, 'email' | 'username' | 'mobile'> {
    if (isValidEmail(account)) {
      return { email: account };
    }
    const mobile = PHONE_SHAPED.test(account) ? mobileOf(account) : null;
    return mobile ? { username: account, mobile } : { username: account };
  }

  /**
   * VERIFY_CODE, Authing's older scene for either use, sends a sign-in code to a user of the pool and a
   * registration code to a new address; the others name their use. Sign-in and reset codes go only to users.
   */
  private async purposeOf(pool: Tenant, email: string, scene: EmailScene): Promise<UserpoolCodePurpose> {
    switch (scene) {
      case 'REGISTER_VERIFY_CODE':
        return this.registrationPurpose(pool, email);
      case 'LOGIN_VERIFY_CODE':
        await this.requireUser(pool, email);
        return CodePurpose.Login;
      case 'RESET_PASSWORD_VERIFY_CODE':
      case 'RESET_PASSWORD':
        await this.requireUser(pool, email);
        return CodePurpose.ResetPassword;
      case 'VERIFY_CODE':
        return (await this.users.findByEmail(pool.id, email)) ? CodePurpose.Login : this.registrationPurpose(pool, email);
    }
  }

  /** No registration code goes to a pool closed to registration, nor to an address registration would refuse. */
  private async registrationPurpose(pool: Tenant, email: string): Promise<UserpoolCodePurpose> {
    if (!pool.enabled) {
      throw new DomainError(DomainErrorCode.TENANT_DISABLED);
    }
    await this.users.assertRegistrable({ tenant: pool, email });
    return CodePurpose.Registration;
  }

  private async requireUser(pool: Tenant, email: string): Promise<User> {
    const user = await this.users.findByEmail(pool.id, email);
    if (!user) {
      throw new DomainError(UserpoolErrorCode.USER_NOT_FOUND, { field: 'email' });
    }
    return user;
  }

  /** The pool's strength level and the common-password rule, before any code is spent on a password that would be refused. */
  private assertNewPasswordAllowed(pool: Tenant, password: string): void {
    const level = userpoolSettings(pool).passwordStrength;
    if (!meetsStrengthLevel(password, level)) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_WEAK, { field: 'newPassword', params: { level } });
    }
    if (!allowsCommonPasswords(pool) && isCommonPassword(password)) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_WEAK, { field: 'newPassword', params: { rule: 'common' } });
    }
  }

  /** A user without a password (made by an email code) sets a first one without an old one. */
  private async assertOldPassword(pool: Tenant, user: User, oldPassword: string | undefined, caller: Caller): Promise<void> {
    if (!(await this.users.hasPassword(user))) {
      return;
    }
    const budget = this.attempts.loginBudget(`${pool.id}\nuser:${user.id}`, caller.client, loginPolicyOf(pool, this.attempts.loginPolicy));
    await budget.reserve();
    let matches: boolean;
    try {
      matches = oldPassword !== undefined && (await this.users.passwordMatches(user, oldPassword));
    } catch (error) {
      await budget.release();
      throw error;
    }
    if (!matches) {
      await budget.recordFailure();
      throw new DomainError(UserpoolErrorCode.OLD_PASSWORD_WRONG, { field: 'oldPassword' });
    }
    await budget.recordSuccess();
  }
}
