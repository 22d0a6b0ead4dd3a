import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { MailService } from '../../mail/mail.service';
import { AttemptCounterService } from '../../rate-limit/attempt-counter.service';
import { SessionsService } from '../../tokens/sessions.service';
import { Tenant } from '../../users/entities/tenant.entity';
import { User, UserStatus } from '../../users/entities/user.entity';
import { CodePurpose } from '../../users/entities/verification-code.entity';
import { allowsCommonPasswords, isCommonPassword } from '../../users/common-passwords';
import { BCRYPT_MAX_BYTES } from '../../users/password-hasher.service';
import { characterLength } from '../../users/password-rules';
import { RegistrationClaim } from '../../users/registration-claim';
import { Credentials, NewUser, UsersService } from '../../users/users.service';
import { VerificationCodesService } from '../../users/verification-codes.service';
import { resetCodeMail, signupCodeMail } from './bytepower-mail';
import { BytepowerErrorCode } from './bytepower.error-map';
import { bytepowerSettings } from './bytepower-settings';
import { presentBytepowerUser } from './bytepower-user.presenter';
import { BytepowerUserDto } from './dto/bytepower-user.response.dto';
import { DeviceIdKind } from './device-binding.entity';
import { DeviceBindingChanged, DeviceBindingsService } from './device-bindings.service';
import { deviceIdKey } from './device-id';
import { DeviceCredentialsDto } from './dto/credentials.dto';
import { DEVICE_FIELDS } from './dto/device-fields.dto';
import { LoginRequestDto } from './dto/login.request.dto';
import { ResetPasswordRequestDto } from './dto/reset-password.request.dto';
import { RESET_PASSWORD_EMAIL, SendCodeRequestDto } from './dto/send-code.request.dto';
import { SignupRequestDto } from './dto/signup.request.dto';

/** Sessions last 30 days, like the other dialects' tokens. */
const SESSION_TTL_SECONDS = 30 * 24 * 3600;

/** BytePower documents no password rule; six characters is the seed's own example (`123456`). */
export const PASSWORD_MIN_LENGTH = 6;

const SIGNUP_CREDENTIALS = ['name_password', 'email_password'] as const;
const LOGIN_CREDENTIALS = ['name_password', 'email_password', 'device', 'anonymity'] as const;

/**
 * Tries of a device sign-in or a sign-up on a device whose binding a racing request changed: the next try
 * finds what the winner wrote, so two settle every race; the third covers a binding moved in between.
 */
const BINDING_ATTEMPTS = 3;

/** Which credential object a request carries; exactly one of `names` is allowed. */
function credentialsOf<T extends object>(body: T, names: readonly (keyof T & string)[]): T {
  if (names.filter((name) => body[name] !== undefined).length !== 1) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, { field: names.join(', '), reason: 'exactly one of these is required' });
  }
  return body;
}

/** A user a device or anonymous login made, with nothing else to sign in by: a sign-up on its device completes it. */
const isDeviceOnly = (user: User) =>
  user.status === UserStatus.Active && user.username === null && user.email === null && user.phoneNormalized === null;

/** BytePower's server-to-server user API (docs/dialects/bytepower.md), on the shared users, codes, sessions and mail. */
@Injectable()
export class BytepowerService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly codes: VerificationCodesService,
    private readonly mail: MailService,
    private readonly attempts: AttemptCounterService,
    private readonly devices: DeviceBindingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signup(app: Tenant, body: SignupRequestDto): Promise<BytepowerUserDto> {
    const settings = bytepowerSettings(app);
    const { name_password: byName, email_password: byEmail } = credentialsOf(body, SIGNUP_CREDENTIALS);
    const password = (byName ?? byEmail)!.password;
    const passwordField = byName ? 'name_password.password' : 'email_password.password';
    if (characterLength(password) < PASSWORD_MIN_LENGTH) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_WEAK, { field: passwordField, params: { min: PASSWORD_MIN_LENGTH } });
    }
    const claims: RegistrationClaim[] = [];
    if (byEmail && settings.signupVerification) {
      if (!byEmail.verify_code) {
        // A taken address is the more useful answer than a missing code for it.
        await this.users.assertAvailable({ tenant: app, email: byEmail.email, fields: { email: 'email_password.email' } });
        throw new DomainError(DomainErrorCode.VERIFICATION_CODE_REQUIRED, { field: 'email_password.verify_code' });
      }
      const target = { tenantId: app.id, email: byEmail.email, purpose: CodePurpose.Registration };
      claims.push(this.codes.claim(target, byEmail.verify_code, 'email_password.verify_code'));
    }
    const profile = Object.fromEntries(DEVICE_FIELDS.filter((name) => body[name] !== undefined).map((name) => [name, body[name]]));
    const registration: NewUser & { password: string } = {
      tenant: app,
      username: byName?.name,
      email: byEmail?.email,
      password,
      registerSource: byName ? 'bytepower:name_password' : 'bytepower:email_password',
      profile: byEmail?.platform === undefined ? profile : { ...profile, email_platform: byEmail.platform },
      claims,
      fields: { username: 'name_password.name', email: 'email_password.email', password: passwordField },
    };
    const { user, isNew } =
      typeof body.login_device_id === 'string'
        ? await this.signupOnDevice(app, body.login_device_id, registration)
        : { user: await this.users.register(registration), isNew: true };
    const session = await this.sessions.open(app.id, user, SESSION_TTL_SECONDS);
    return presentBytepowerUser(user, isNew, session.token);
  }

  /**
   * A sign-up carrying `login_device_id` binds the device to its user, in the user's transaction. A user the
   * device made by logging in is completed instead of a second one being made: same id, and `isNew` false,
   * since its device login already reported it as new. A device bound to a full account moves to the new
   * one (the latest sign-up on a device is the one it signs in as); one bound to a user who may not sign in
   * stays with that user, so that signing up again does not lift an operator's ban from the device.
   */
  private async signupOnDevice(
    app: Tenant,
    deviceId: string,
    registration: NewUser & { password: string },
  ): Promise<{ user: User; isNew: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const boundId = await this.devices.userIdOf(app, 'device', deviceId);
        const bound = boundId === null ? null : await this.users.find(app.id, boundId);
        if (bound && isDeviceOnly(bound)) {
          const completed = await this.users.completeIdentity(bound, {
            ...registration,
            profile: { ...bound.profile, ...registration.profile },
            source: 'identity',
          });
          if (!completed) {
            throw new DeviceBindingChanged();
          }
          return { user: completed, isNew: false };
        }
        const binds = bound === null || bound.status === UserStatus.Active;
        const claims = binds ? [...(registration.claims ?? []), this.devices.claim(app, 'device', deviceId, boundId)] : registration.claims;
        return { user: await this.users.register({ ...registration, claims }), isNew: true };
      } catch (error) {
        if (!(error instanceof DeviceBindingChanged) || attempt >= BINDING_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  /** Wrong password and unknown account are one error (CREDENTIALS_INVALID) and cost the same. */
  async login(app: Tenant, body: LoginRequestDto, client: string): Promise<BytepowerUserDto> {
    const { name_password: byName, email_password: byEmail, device, anonymity } = credentialsOf(body, LOGIN_CREDENTIALS);
    if (device) {
      return this.deviceLogin(app, 'device', device.id, this.deviceProfile(device));
    }
    if (anonymity) {
      return this.deviceLogin(app, 'anonymity', anonymity.local_uid, {});
    }
    const credentials: Credentials = byName
      ? { tenant: app, username: byName.name, password: byName.password, source: 'login:password' }
      : { tenant: app, email: byEmail!.email, password: byEmail!.password, source: 'login:password' };
    const budget = (account: string) => this.attempts.loginBudget(`${app.id}\n${account}`, client);
    const user = await this.users.authenticate({ ...credentials, budget });
    const session = await this.sessions.open(app.id, user, SESSION_TTL_SECONDS);
    return presentBytepowerUser(user, false, session.token);
  }

  /**
   * Signs in as the user the id is bound to, or makes a user with no name, email or password bound to it.
   * No secret is checked, so there is no failure to count (nor a password lockout to obey); the request
   * budget of RateLimitGuard applies as to any login. Of racing first logins one makes the user, and the
   * others, whose binding lost on the unique index and was rolled back with their user, sign in as it.
   */
  private async deviceLogin(app: Tenant, kind: DeviceIdKind, id: string, profile: Record<string, unknown>): Promise<BytepowerUserDto> {
    for (let attempt = 1; ; attempt++) {
      const boundId = await this.devices.userIdOf(app, kind, id);
      const bound = boundId === null ? null : await this.users.find(app.id, boundId);
      if (bound) {
        this.users.assertActive(bound);
        await this.users.recordLogin(bound.id, { source: kind === 'device' ? 'login:device' : 'login:anonymity' });
        const session = await this.sessions.open(app.id, bound, SESSION_TTL_SECONDS);
        return presentBytepowerUser(bound, false, session.token);
      }
      try {
        const claims = [this.devices.claim(app, kind, id, null)];
        const user = await this.users.register({ tenant: app, registerSource: `bytepower:${kind}`, profile, claims });
        const session = await this.sessions.open(app.id, user, SESSION_TTL_SECONDS);
        return presentBytepowerUser(user, true, session.token);
      } catch (error) {
        if (!(error instanceof DeviceBindingChanged) || attempt >= BINDING_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  /** The device fields stored with a user a device login makes; its id is the seed's `login_device_id`, which may be repeated but not differ. */
  private deviceProfile(device: DeviceCredentialsDto): Record<string, unknown> {
    if (typeof device.login_device_id === 'string' && deviceIdKey(device.login_device_id) !== deviceIdKey(device.id)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, { field: 'device.login_device_id', reason: 'must equal device.id' });
    }
    const fields = DEVICE_FIELDS.filter((name) => device[name] !== undefined).map((name): [string, unknown] => [name, device[name]]);
    return { ...Object.fromEntries(fields), login_device_id: device.id };
  }

  async me(app: Tenant, sessionToken: string | undefined): Promise<BytepowerUserDto> {
    const user = typeof sessionToken === 'string' ? await this.sessions.userOf(app.id, sessionToken) : null;
    if (!user) {
      throw new DomainError(DomainErrorCode.UNAUTHORIZED, { reason: 'unknown or expired session' });
    }
    return presentBytepowerUser(user, false);
  }

  async sendCode(app: Tenant, body: SendCodeRequestDto): Promise<void> {
    return body.type === RESET_PASSWORD_EMAIL ? this.sendResetCode(app, body.email) : this.sendSignupCode(app, body);
  }

  /** A code is not sent to an address signed up in the app, or one signup would refuse: it could never be used. */
  private async sendSignupCode(app: Tenant, body: SendCodeRequestDto): Promise<void> {
    await this.users.assertRegistrable({ tenant: app, email: body.email, fields: { email: 'email' } });
    await this.codes.send({ tenantId: app.id, email: body.email, purpose: CodePurpose.Registration }, (code) =>
      this.mail.send(signupCodeMail(body.email, code, this.config.codes.ttlSeconds)),
    );
  }

  /**
   * Mails a reset code to a user of the app, whatever the user's status (a disabled user learns it only by
   * proving the mailbox). An address with no user gets a code too, delivered nowhere: the answer, the resend
   * interval and the hourly budget are then the same for every address, so this call does not tell who has
   * an account.
   */
  private async sendResetCode(app: Tenant, email: string): Promise<void> {
    const user = await this.users.findByEmail(app.id, email);
    await this.codes.send({ tenantId: app.id, email, purpose: CodePurpose.ResetPassword }, async (code) => {
      if (user) {
        await this.mail.send(resetCodeMail(email, code, this.config.codes.ttlSeconds));
      }
    });
  }

  /**
   * Sets a new password with a reset code and ends every session of the user, so that whoever held one
   * (with the old password, perhaps) is out at once. The password is checked before the code, so a refused
   * one costs no code; the code before the user, so that a wrong code says nothing about the address.
   * Opens no session: signing in stays a login, under its failure counters, which a reset leaves as they are.
   */
  async resetPassword(app: Tenant, body: ResetPasswordRequestDto): Promise<BytepowerUserDto> {
    this.assertNewPassword(app, body.password, 'password');
    await this.codes.spend({ tenantId: app.id, email: body.email, purpose: CodePurpose.ResetPassword }, body.verify_code, 'verify_code');
    // Only a user deleted since the code was mailed is missing here: no code is delivered to an address without one.
    const user = await this.users.findByEmail(app.id, body.email);
    if (!user) {
      throw new DomainError(BytepowerErrorCode.USER_NOT_FOUND, { field: 'email' });
    }
    this.users.assertActive(user);
    await this.users.setPassword(user, body.password, app, { source: 'password.reset' });
    await this.users.endSessions(user.id);
    return presentBytepowerUser(user, false);
  }

  /** Sign-up's password rules, asked before anything is spent: length in characters and UTF-8 bytes, and the common list. */
  private assertNewPassword(app: Tenant, password: string, field: string): void {
    if (characterLength(password) < PASSWORD_MIN_LENGTH) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_WEAK, { field, params: { min: PASSWORD_MIN_LENGTH } });
    }
    if (!password.isWellFormed()) {
      throw new DomainError(DomainErrorCode.PASSWORD_INVALID, { field });
    }
    if (Buffer.byteLength(password.normalize('NFC'), 'utf8') > BCRYPT_MAX_BYTES) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_LONG, { field, params: { max: BCRYPT_MAX_BYTES } });
    }
    if (!allowsCommonPasswords(app) && isCommonPassword(password)) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_WEAK, { field, params: { rule: 'common' } });
    }
  }
}
