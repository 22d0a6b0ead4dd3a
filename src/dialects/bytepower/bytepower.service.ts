import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { MailService } from '../../mail/mail.service';
import { AttemptCounterService } from '../../rate-limit/attempt-counter.service';
import { SessionsService } from '../../tokens/sessions.service';
import { Tenant } from '../../users/entities/tenant.entity';
import { CodePurpose } from '../../users/entities/verification-code.entity';
import { normalizeEmail, normalizeUsername } from '../../users/normalization';
import { characterLength } from '../../users/password-rules';
import { RegistrationClaim } from '../../users/registration-claim';
import { Credentials, UsersService } from '../../users/users.service';
import { VerificationCodesService } from '../../users/verification-codes.service';
import { signupCodeMail } from './bytepower-mail';
import { bytepowerSettings } from './bytepower-settings';
import { presentBytepowerUser } from './bytepower-user.presenter';
import { BytepowerUserDto } from './dto/bytepower-user.response.dto';
import { DEVICE_FIELDS } from './dto/device-fields.dto';
import { LoginRequestDto } from './dto/login.request.dto';
import { SendCodeRequestDto } from './dto/send-code.request.dto';
import { SignupRequestDto } from './dto/signup.request.dto';

/** Sessions last 30 days, like the other dialects' tokens. */
const SESSION_TTL_SECONDS = 30 * 24 * 3600;

/** BytePower documents no password rule; six characters is the seed's own example (`123456`). */
export const PASSWORD_MIN_LENGTH = 6;

const ONE_OF = 'name_password, email_password';

/** Which of the two credential objects a request carries; exactly one is allowed. */
function credentialsOf<T extends { name_password?: object; email_password?: object }>(body: T) {
  if ((body.name_password === undefined) === (body.email_password === undefined)) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, { field: ONE_OF, reason: 'exactly one of these is required' });
  }
  return body;
}

/** BytePower's server-to-server user API (docs/dialects/bytepower.md), on the shared users, codes, sessions and mail. */
@Injectable()
export class BytepowerService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly codes: VerificationCodesService,
    private readonly mail: MailService,
    private readonly attempts: AttemptCounterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signup(app: Tenant, body: SignupRequestDto): Promise<BytepowerUserDto> {
    const settings = bytepowerSettings(app);
    const { name_password: byName, email_password: byEmail } = credentialsOf(body);
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
    const user = await this.users.register({
      tenant: app,
      username: byName?.name,
      email: byEmail?.email,
      password,
      registerSource: byName ? 'bytepower:name_password' : 'bytepower:email_password',
      profile: byEmail?.platform === undefined ? profile : { ...profile, email_platform: byEmail.platform },
      claims,
      fields: { username: 'name_password.name', email: 'email_password.email', password: passwordField },
    });
    const session = await this.sessions.open(app.id, user, SESSION_TTL_SECONDS);
    return presentBytepowerUser(user, true, session.token);
  }

  /** Wrong password and unknown account are one error (CREDENTIALS_INVALID) and cost the same. */
  async login(app: Tenant, body: LoginRequestDto, client: string): Promise<BytepowerUserDto> {
    const { name_password: byName, email_password: byEmail } = credentialsOf(body);
    const credentials: Credentials = byName
      ? { tenant: app, username: byName.name, password: byName.password }
      : { tenant: app, email: byEmail!.email, password: byEmail!.password };
    const account = byName ? `name:${normalizeUsername(byName.name)}` : `email:${normalizeEmail(byEmail!.email)}`;
    const attempts = this.attempts.loginBudget(`${app.id}\n${account}`, client);
    const user = await this.users.authenticate({ ...credentials, attempts });
    const session = await this.sessions.open(app.id, user, SESSION_TTL_SECONDS);
    return presentBytepowerUser(user, false, session.token);
  }

  async me(app: Tenant, sessionToken: string | undefined): Promise<BytepowerUserDto> {
    const user = typeof sessionToken === 'string' ? await this.sessions.userOf(app.id, sessionToken) : null;
    if (!user) {
      throw new DomainError(DomainErrorCode.UNAUTHORIZED, { reason: 'unknown or expired session' });
    }
    return presentBytepowerUser(user, false);
  }

  /** A code is not sent to an address signed up in the app, or one signup would refuse: it could never be used. */
  async sendSignupCode(app: Tenant, body: SendCodeRequestDto): Promise<void> {
    await this.users.assertRegistrable({ tenant: app, email: body.email, fields: { email: 'email' } });
    await this.codes.send({ tenantId: app.id, email: body.email, purpose: CodePurpose.Registration }, (code) =>
      this.mail.send(signupCodeMail(body.email, code, this.config.codes.ttlSeconds)),
    );
  }
}
