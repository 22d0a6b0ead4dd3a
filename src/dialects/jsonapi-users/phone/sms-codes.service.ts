import { Injectable } from '@nestjs/common';
import { Clock } from '../../../clock/clock';
import { TransactionRunnerService } from '../../../database/transaction-runner.service';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { DomainError, FieldError } from '../../../error-codes/domain-error';
import { SmsService } from '../../../sms/sms.service';
import { CodePurpose } from '../../../users/entities/verification-code.entity';
import { Tenant } from '../../../users/entities/tenant.entity';
import { User, UserStatus } from '../../../users/entities/user.entity';
import { normalizeMobile } from '../../../users/phone';
import { RegistrationClaim } from '../../../users/registration-claim';
import { UsersService } from '../../../users/users.service';
import { CodeTarget, SMS_CODE_TTL_SECONDS, SMS_RESEND_SECONDS, VerificationCodesService } from '../../../users/verification-codes.service';
import { RequestAttributes } from '../dto/jsonapi-request.pipe';
import { InvitesService } from '../invites.service';
import { JsonApiUsersErrorCode as J } from '../jsonapi-users.error-map';
import { JsonApiUsersService } from '../jsonapi-users.service';
import { NoBindUserError } from '../no-bind-user.error';
import { checkInviteCode, checkPassword, commonPasswordErrors, madeUpUsername } from '../registration-rules';
import { SiteSettings } from '../site-settings';
import { SiteService } from '../site.service';
import { flag } from '../wechat/wechat-identities.service';
import { MobileTokensService } from './mobile-tokens.service';

/** Discuz! Q's SMS code types (`SendController::$type`, without the wallet's `reset_pay_pwd`). */
export const SMS_TYPES = ['login', 'bind', 'rebind', 'reset_pwd', 'verify'] as const;
export type SmsType = (typeof SMS_TYPES)[number];

const PURPOSES: Record<SmsType, CodePurpose> = {
  login: CodePurpose.SmsLogin,
  bind: CodePurpose.SmsBind,
  rebind: CodePurpose.SmsRebind,
  reset_pwd: CodePurpose.SmsResetPassword,
  verify: CodePurpose.SmsVerify,
};

/** Types that act on the caller's own account, so need its access token. */
const SIGNED_IN_TYPES: readonly SmsType[] = ['bind', 'rebind', 'verify'];

/** `rebind` needs a `verify` code of the old mobile spent this recently, as in the original. */
const REBIND_PROOF_MS = 10 * 60_000;

/** The `register_reason` the original gives users it creates from a mobile, what a reviewing operator reads. */
const PHONE_REGISTER_REASON = '手机号注册';

/** Made-up names tried before a registration gives up on a name race. */
const USERNAME_TRIES = 5;

/** The original's `smssend` resource: the client counts down `interval` seconds before it offers a resend. */
export const SMS_SEND_DOCUMENT = { data: { type: 'smssend', id: '1', attributes: { interval: SMS_RESEND_SECONDS } } } as const;

/** One SMS request: its type, the site, the mobile it is about, and the caller when the type needs one. */
interface SmsRequest {
  site: Tenant;
  settings: SiteSettings;
  type: SmsType;
  mobile: string;
  caller?: User;
}

const invalid = (field: string, rule: string) => new DomainError(DomainErrorCode.VALIDATION_FAILED, { field, params: { rule } });

function smsType(value: unknown): SmsType {
  if (value === undefined || value === null || value === '') {
    throw invalid('type', 'required');
  }
  if (!SMS_TYPES.includes(value as SmsType)) {
    throw new DomainError(J.SMS_TYPE_INVALID, { field: 'type' });
  }
  return value as SmsType;
}

/** Mainland 11 digits or E.164, nothing else (no spaces, full-width digits or national prefixes). */
function mobileOf(value: unknown): string {
  if (value === undefined || value === null || value === '') {
    throw invalid('mobile', 'required');
  }
  if (typeof value !== 'string') {
    throw invalid('mobile', 'string');
  }
  const mobile = normalizeMobile(value);
  if (mobile === null) {
    throw new DomainError(DomainErrorCode.PHONE_INVALID, { field: 'mobile' });
  }
  return mobile;
}

function codeOf(value: unknown): string {
  if (value === undefined || value === null || value === '') {
    throw new DomainError(J.SMS_CODE_REQUIRED, { field: 'code' });
  }
  // Only the string a code was sent as can match; anything else is a wrong code, as in the original.
  return typeof value === 'string' ? value : '';
}

/** A wrong, spent or expired code, also one a racing request spent first: `sms_verify_error`. */
function asSmsCodeError(error: unknown): unknown {
  const codeErrors: unknown[] = [DomainErrorCode.VERIFICATION_CODE_INVALID, DomainErrorCode.VERIFICATION_CODE_EXPIRED];
  return error instanceof DomainError && codeErrors.includes(error.code) ? new DomainError(J.SMS_VERIFY_ERROR, { field: 'code' }) : error;
}

/**
 * Discuz! Q's `/api/sms/send` and `/api/sms/verify` on the shared verification codes: 6 digits, hashed,
 * 5 minutes, single use, 5 wrong tries, one send per mobile and type each 60 s (docs/dialects/jsonapi-users.md#phones-sms-codes-mobile-tokens-password-change).
 */
@Injectable()
export class JsonApiSmsService {
  constructor(
    private readonly site: SiteService,
    private readonly jsonApi: JsonApiUsersService,
    private readonly users: UsersService,
    private readonly codes: VerificationCodesService,
    private readonly sms: SmsService,
    private readonly invites: InvitesService,
    private readonly mobileTokens: MobileTokensService,
    private readonly transactions: TransactionRunnerService,
    private readonly clock: Clock,
  ) {}

  async send(attributes: RequestAttributes, authorization: string | undefined) {
    const request = await this.request(attributes, authorization);
    await this.assertSendable(request);
    try {
      await this.codes.send(this.target(request), (code) =>
        this.sms.sendCode({ to: request.mobile, code, minutes: SMS_CODE_TTL_SECONDS / 60 }),
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.VERIFICATION_CODE_TOO_SOON) {
        const seconds = error.details.retryAfterSeconds ?? SMS_RESEND_SECONDS;
        throw new DomainError(J.SMS_INTERVAL, { field: 'mobile', params: { seconds }, retryAfterSeconds: seconds });
      }
      throw error;
    }
    return SMS_SEND_DOCUMENT;
  }

  async verify(attributes: RequestAttributes, authorization: string | undefined) {
    const request = await this.request(attributes, authorization);
    const code = this.codes.claim(this.target(request), codeOf(attributes.code), 'code');
    switch (request.type) {
      case 'login':
        return this.login(request, code, attributes);
      case 'bind':
      case 'rebind':
        return this.bind(request, code);
      case 'reset_pwd':
        return this.resetPassword(request, code, attributes.password);
      case 'verify':
        await this.checkCode(code);
        await this.spendCode(code, request.caller!.id);
        return this.jsonApi.ownDocument(request.caller!);
    }
  }

  /**
   * What every SMS request needs, in the original's order: a known type, SMS on for the site, the caller's
   * access token where the type acts on its account, then the mobile (the caller's own for `verify`).
   */
  private async request(attributes: RequestAttributes, authorization: string | undefined): Promise<SmsRequest> {
    const type = smsType(attributes.type);
    const { site, settings } = await this.site.current();
    if (!settings.sms) {
      throw new DomainError(J.SMS_DISABLED, { field: 'mobile' });
    }
    const caller = SIGNED_IN_TYPES.includes(type) ? await this.jsonApi.authenticateBearer(authorization) : undefined;
    if (type !== 'verify') {
      return { site, settings, type, mobile: mobileOf(attributes.mobile), caller };
    }
    if (!caller?.phoneNormalized) {
      throw invalid('mobile', 'required');
    }
    return { site, settings, type, mobile: caller.phoneNormalized, caller };
  }

  /** Refuses before a code is sent what its verify would refuse anyway. */
  private async assertSendable(request: SmsRequest): Promise<void> {
    switch (request.type) {
      case 'bind':
      case 'rebind':
        await this.assertBindable(request);
        return;
      case 'reset_pwd':
        if (!(await this.users.findByMobile(request.site.id, request.mobile))) {
          throw new DomainError(J.MOBILE_UNKNOWN, { field: 'mobile' });
        }
        return;
      default:
        return;
    }
  }

  /** `bind`: the caller has no mobile yet; `rebind`: it proved its old one lately and names another; both: nobody has the new one. */
  private async assertBindable({ site, type, mobile, caller }: SmsRequest): Promise<void> {
    const own = caller!.phoneNormalized;
    if (type === 'bind' && own !== null) {
      throw new DomainError(J.MOBILE_ALREADY_BOUND, { field: 'mobile' });
    }
    if (type === 'rebind') {
      const proof = own !== null && (await this.codes.spentSince(this.targetOf(site, 'verify', own), this.clock.now() - REBIND_PROOF_MS));
      if (!proof) {
        throw new DomainError(J.REBIND_UNVERIFIED, { field: 'mobile' });
      }
      if (mobile === own) {
        throw new DomainError(J.REBIND_SAME_MOBILE, { field: 'mobile' });
      }
    }
    if (await this.users.mobileTaken(site.id, mobile, caller)) {
      throw invalid('mobile', 'unique');
    }
  }

  /**
   * The user with the mobile gets the token document. Without one: `register` creates it on an open site
   * (pending review in review mode, refused when closed, as the original's RegisterPhoneUser), or the
   * client gets `no_bind_user` and a mobile token for a register or login that binds the mobile.
   */
  private async login(request: SmsRequest, code: RegistrationClaim, attributes: RequestAttributes) {
    const { site, settings, mobile } = request;
    const register = flag(attributes.register, 'register');
    await this.checkCode(code);
    const user = await this.users.findByMobile(site.id, mobile);
    if (user) {
      this.users.assertActive(user);
      await this.spendCode(code, user.id);
      return this.jsonApi.signIn(site, user, 'login:sms');
    }
    if (!register) {
      await this.spendCode(code, 0);
      throw new NoBindUserError(J.NO_BIND_USER, await this.mobileTokens.issue(site, mobile), null);
    }
    if (settings.registerMode === 'closed') {
      throw new DomainError(J.REGISTRATION_CLOSED);
    }
    const invite = checkInviteCode(attributes.inviteCode, settings, 'inviteCode');
    if (invite.errors.length) {
      throw this.fieldErrors(invite.errors);
    }
    const claims = [code, ...(invite.value === undefined ? [] : [this.invites.claim(site, invite.value, 'inviteCode')])];
    const review = settings.registerMode === 'review';
    const created = await this.registerByMobile(site, mobile, claims, review);
    if (review) {
      throw new DomainError(DomainErrorCode.REGISTRATION_PENDING_REVIEW);
    }
    return this.jsonApi.signIn(site, created, 'login:register');
  }

  /** A user without a password, named `网友` and 6 random characters (another when taken), the mobile bound at insert. */
  private async registerByMobile(site: Tenant, mobile: string, claims: RegistrationClaim[], review: boolean): Promise<User> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.users.register({
          tenant: site,
          username: madeUpUsername(),
          mobile,
          registerSource: 'jsonapi-users:mobile',
          status: review ? UserStatus.PendingReview : UserStatus.Active,
          profile: { registerReason: PHONE_REGISTER_REASON },
          claims,
          fields: { username: 'username', mobile: 'mobile' },
        });
      } catch (error) {
        const nameTaken = error instanceof DomainError && error.code === DomainErrorCode.USERNAME_TAKEN;
        if (!nameTaken || attempt >= USERNAME_TRIES) {
          throw asSmsCodeError(error);
        }
      }
    }
  }

  /** `bind` / `rebind`: the new mobile becomes the caller's, in the transaction that spends its code. */
  private async bind(request: SmsRequest, code: RegistrationClaim) {
    const caller = request.caller!;
    await this.assertBindable(request);
    await this.checkCode(code);
    try {
      await this.transactions.run(async (transaction) => {
        await code.spend(transaction, caller.id);
        await this.users.setMobile(caller, request.mobile, { transaction, field: 'mobile', source: `mobile.${request.type}` });
      });
    } catch (error) {
      throw asSmsCodeError(error);
    }
    return this.jsonApi.ownDocument((await this.users.find(request.site.id, caller.id)) ?? caller);
  }

  /**
   * `reset_pwd`: with `password`, the site's rules and not the current password; setting it ends every
   * session of the user. The password is checked before the code, so a refused one costs no code; the
   * current one is compared only once the code proved the mobile.
   */
  private async resetPassword(request: SmsRequest, code: RegistrationClaim, value: unknown) {
    const password = value === undefined || value === null ? undefined : checkPassword(value, request.settings);
    const passwordErrors =
      password?.value === undefined ? (password?.errors ?? []) : commonPasswordErrors(password.value, request.site, 'password');
    if (passwordErrors.length) {
      throw this.fieldErrors(passwordErrors);
    }
    await this.checkCode(code);
    const user = await this.users.findByMobile(request.site.id, request.mobile);
    if (!user) {
      throw new DomainError(J.MOBILE_UNKNOWN, { field: 'mobile' });
    }
    if (password?.value !== undefined && (await this.users.passwordMatches(user, password.value))) {
      throw new DomainError(J.CANNOT_USE_THE_SAME_PASSWORD, { field: 'password' });
    }
    await this.spendCode(code, user.id);
    if (password?.value !== undefined) {
      await this.users.setPassword(user, password.value, request.site, { source: 'password.reset' });
      await this.users.endSessions(user.id);
    }
    return this.jsonApi.ownDocument(user);
  }

  private async checkCode(code: RegistrationClaim): Promise<void> {
    try {
      await code.check();
    } catch (error) {
      throw asSmsCodeError(error);
    }
  }

  private async spendCode(code: RegistrationClaim, userId: number): Promise<void> {
    try {
      await this.transactions.run((transaction) => code.spend(transaction, userId));
    } catch (error) {
      throw asSmsCodeError(error);
    }
  }

  private fieldErrors(errors: FieldError[]): DomainError {
    const [first] = errors;
    return new DomainError(first.code, { field: first.field, params: first.params, fields: errors });
  }

  private target(request: SmsRequest): CodeTarget {
    return this.targetOf(request.site, request.type, request.mobile);
  }

  private targetOf(site: Tenant, type: SmsType, mobile: string): CodeTarget {
    return { tenantId: site.id, purpose: PURPOSES[type], mobile };
  }
}
