import { Injectable } from '@nestjs/common';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { AttemptCounterService, AttemptPolicy } from '../../rate-limit/attempt-counter.service';
import { allowsCommonPasswords, isCommonPassword } from '../../users/common-passwords';
import { Tenant } from '../../users/entities/tenant.entity';
import { User, UserStatus } from '../../users/entities/user.entity';
import { CodePurpose } from '../../users/entities/verification-code.entity';
import { hasForbiddenTextCharacters } from '../../users/normalization';
import { characterLength } from '../../users/password-rules';
import { TenantsService } from '../../users/tenants.service';
import { Credentials, UsersService } from '../../users/users.service';
import { VerificationCodesService } from '../../users/verification-codes.service';
import { AccountDeletionsService } from './account-deletions.service';
import { DataCenter } from './data-center';
import { DomainSecretsService } from './domain-secrets.service';
import { EnduserErrorCode } from './enduser.error-map';
import { emailOf, fail, mccOf, passwordOf, referenceOf, requireParams, userDomainOf } from './enduser-checks';
import { EnduserParams } from './enduser-params';
import { EnduserTokenPair, EnduserTokensService, SignedInEnduser } from './enduser-tokens.service';
import { ENDUSER_TENANT_KIND } from './enduser.tenant-kind';
import { findLanguage, findNationality, findTimezone } from './reference-data';
import { formatEnduserId } from './enduser.service';

/** Quectel freezes an account for 20 minutes after the fifth wrong password (code 5147), counted per account and client. */
export const ENDUSER_LOGIN_POLICY: AttemptPolicy = { limit: 5, windowSeconds: 20 * 60, lockSeconds: 20 * 60 };

const WRONG_PASSWORD: Record<number, EnduserErrorCode> = {
  1: EnduserErrorCode.PASSWORD_WRONG_1_LEFT,
  2: EnduserErrorCode.PASSWORD_WRONG_2_LEFT,
  3: EnduserErrorCode.PASSWORD_WRONG_3_LEFT,
  4: EnduserErrorCode.PASSWORD_WRONG_4_LEFT,
};

/** setUserInfo's free-text fields: the profile key, the longest value in characters, and the code past it. */
const TEXT_FIELDS = [
  ['nikeName', 50, EnduserErrorCode.NICKNAME_TOO_LONG],
  ['address', 254, EnduserErrorCode.ADDRESS_TOO_LONG],
  ['province', 64, EnduserErrorCode.PROVINCE_TOO_LONG],
  ['city', 64, EnduserErrorCode.CITY_TOO_LONG],
  ['signature', 254, EnduserErrorCode.PERSONAL_SIGNATURE_TOO_LONG],
  ['remark', 254, EnduserErrorCode.REMARK_TOO_LONG],
] as const;
const HEAD_IMAGE_MAX_LENGTH = 1024;
const SEXES = ['0', '1', '2'];
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const DELETE_NOW = '1';
const DELETE_LATER = '2';

/** What userInfo answers: Quectel's fields, empty where unireg keeps nothing (third-party ids, the logon mode). */
export type EnduserUserInfo = Record<string, string | number | null>;

/**
 * Quectel's sign-in and account routes: emailPwdLogin (signed with the user domain's secret), userInfo,
 * setUserInfo, setUserPwd, userPwdReset, userLogout and userDelete.
 */
@Injectable()
export class EnduserAccountService {
  constructor(
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly codes: VerificationCodesService,
    private readonly attempts: AttemptCounterService,
    private readonly secrets: DomainSecretsService,
    private readonly tokens: EnduserTokensService,
    private readonly deletions: AccountDeletionsService,
    private readonly dataCenter: DataCenter,
  ) {}

  /**
   * Checks in the order of docs/dialects/enduser.md#errors: required parameters, formats, the domain, the
   * signature (before any account is looked at), the account, then the password under the failure budget.
   * `client` is what the failure counters count against (`clientOf`), `ip` the address the sign-in records.
   */
  async login(params: EnduserParams, client: string, ip?: string): Promise<EnduserTokenPair> {
    requireParams(params, [
      ['pwd', DomainErrorCode.PASSWORD_REQUIRED],
      ['userDomain', DomainErrorCode.TENANT_REQUIRED],
      ['email', DomainErrorCode.EMAIL_REQUIRED],
      ['signature', EnduserErrorCode.SIGNATURE_REQUIRED],
    ]);
    const domain = userDomainOf(params);
    const email = emailOf(params);
    const password = passwordOf(params);
    mccOf(params, this.dataCenter);
    const signature = params.text('signature');
    const tenant = await this.tenants.requireActive(ENDUSER_TENANT_KIND, domain, 'userDomain');
    // The vendor signs `pwd` exactly as sent: the cipher text when `random` is given.
    const signed = [email, params.text('pwd') ?? '', params.text('random') ?? ''];
    if (typeof signature !== 'string' || !(await this.secrets.signatureMatches(tenant, signed, signature))) {
      throw fail(EnduserErrorCode.SIGNATURE_INVALID, 'signature');
    }
    if (!(await this.users.findByEmail(tenant.id, email))) {
      throw fail(EnduserErrorCode.EMAIL_NOT_REGISTERED, 'email');
    }
    const user = await this.authenticate({ tenant, email, password, ip, source: 'login:password' }, client);
    await this.deletions.cancel(user);
    return this.tokens.signIn(tenant, user);
  }

  refresh(params: EnduserParams): Promise<EnduserTokenPair> {
    return this.tokens.refresh(params.text('refreshToken'));
  }

  userInfo({ user }: SignedInEnduser): EnduserUserInfo {
    const profile = user.profile;
    const text = (key: string) => (typeof profile[key] === 'string' ? profile[key] : '');
    const id = (key: string) => (typeof profile[key] === 'number' ? String(profile[key]) : '');
    return {
      uid: formatEnduserId(user.id),
      email: user.email ?? '',
      phone: user.phone ?? '',
      nikeName: text('nikeName'),
      sex: id('sex'),
      headimg: text('headImage'),
      address: text('address'),
      province: text('province'),
      city: text('city'),
      signature: text('signature'),
      remark: text('remark'),
      lang: id('lang'),
      nationality: id('nationality'),
      timezone: id('timezone'),
      status: user.status === UserStatus.Active ? 1 : 0,
      registerTime: user.createdAt,
      registerTimeTs: user.createdAt,
      lastLoginTime: user.lastLoginAt,
      lastLoginTimeTs: user.lastLoginAt,
      logonMode: null,
      alipayUserId: '',
      appleUserId: '',
      facebookUserId: '',
      qqUserId: '',
      twitterUserId: '',
      wechatMiniprogramUserId: '',
      wechatOffiaccountUserId: '',
      wechatUnionId: '',
    };
  }

  /** Sets the fields given (an empty text clears it, an id of 0 unsets it) after checking every one of them. */
  async setUserInfo({ user }: SignedInEnduser, params: EnduserParams): Promise<void> {
    const changes: Record<string, unknown> = {};
    for (const [name, max, code] of TEXT_FIELDS) {
      const value = params.text(name);
      if (
        value === null ||
        (value !== undefined && (CONTROL.test(value) || hasForbiddenTextCharacters(value) || characterLength(value) > max))
      ) {
        throw fail(code, name);
      }
      if (value !== undefined) {
        changes[name] = value;
      }
    }
    const sex = params.text('sex');
    if (sex !== undefined && (sex === null || !SEXES.includes(sex))) {
      throw fail(EnduserErrorCode.SEX_INVALID, 'sex');
    }
    if (sex !== undefined) {
      changes.sex = Number(sex);
    }
    const headImage = params.text('headImage');
    if (headImage !== undefined) {
      if (headImage === null || (headImage !== '' && !isImageUrl(headImage))) {
        throw fail(EnduserErrorCode.USER_INFO_INVALID, 'headImage');
      }
      changes.headImage = headImage;
    }
    const references = [
      ['timezone', findTimezone, EnduserErrorCode.TIMEZONE_INVALID],
      ['nationality', findNationality, EnduserErrorCode.NATIONALITY_INVALID],
      ['lang', findLanguage, EnduserErrorCode.LANGUAGE_INVALID],
    ] as const;
    for (const [name, find, code] of references) {
      if (params.text(name) !== undefined) {
        changes[name] = referenceOf(params, name, find, code);
      }
    }
    if (Object.keys(changes).length > 0) {
      await this.users.updateProfile(user, changes, 'profile');
    }
  }

  /**
   * Changes the password and ends every token of the user, the caller's too: the app signs in again with the new
   * one. A wrong `oldPwd` is a guess like a login's: it spends the login budget of the user and `client`
   * (`clientOf`), and a frozen budget answers 5147 as the login does.
   */
  async setUserPwd({ tenant, user }: SignedInEnduser, params: EnduserParams, client: string): Promise<void> {
    requireParams(params, [
      ['oldPwd', EnduserErrorCode.OLD_PASSWORD_REQUIRED],
      ['newPwd', EnduserErrorCode.NEW_PASSWORD_REQUIRED],
    ]);
    const oldPassword = passwordOf(params, 'oldPwd', {
      decryption: EnduserErrorCode.OLD_PASSWORD_DECRYPTION_FAILED,
      format: EnduserErrorCode.OLD_PASSWORD_INVALID,
    });
    const newPassword = passwordOf(params, 'newPwd', {
      decryption: EnduserErrorCode.NEW_PASSWORD_DECRYPTION_FAILED,
      format: EnduserErrorCode.NEW_PASSWORD_INVALID,
    });
    if (oldPassword === newPassword) {
      throw fail(EnduserErrorCode.PASSWORD_UNCHANGED, 'newPwd');
    }
    if (isRefusedAsCommon(tenant, newPassword)) {
      throw fail(EnduserErrorCode.NEW_PASSWORD_INVALID, 'newPwd');
    }
    await this.assertOldPassword(tenant, user, oldPassword, client);
    await this.users.setPassword(user, newPassword, tenant, { source: 'password.change', field: 'newPwd' });
    await this.users.endSessions(user.id);
  }

  /** Resets the password with a code from sendEmail emailType 2, and ends every token of the user. */
  async resetPassword(params: EnduserParams): Promise<void> {
    requireParams(params, [
      ['userDomain', DomainErrorCode.TENANT_REQUIRED],
      ['email', EnduserErrorCode.EMAIL_OR_PHONE_REQUIRED],
      ['code', DomainErrorCode.VERIFICATION_CODE_REQUIRED],
      ['pwd', DomainErrorCode.PASSWORD_REQUIRED],
    ]);
    const domain = userDomainOf(params);
    const email = emailOf(params);
    const password = passwordOf(params);
    const tenant = await this.tenants.requireActive(ENDUSER_TENANT_KIND, domain, 'userDomain');
    // Refused before the code is spent, so that a common password does not cost the user the code.
    if (isRefusedAsCommon(tenant, password)) {
      throw fail(DomainErrorCode.PASSWORD_TOO_WEAK, 'pwd');
    }
    const user = await this.users.findByEmail(tenant.id, email);
    if (!user) {
      throw fail(EnduserErrorCode.EMAIL_NOT_REGISTERED, 'email');
    }
    await this.codes.spend({ tenantId: tenant.id, email, purpose: CodePurpose.ResetPassword }, params.text('code') ?? '', 'code');
    await this.users.setPassword(user, password, tenant, { source: 'password.reset', field: 'pwd' });
    await this.users.endSessions(user.id);
  }

  async logout({ user }: SignedInEnduser): Promise<void> {
    await this.users.endSessions(user.id);
  }

  /**
   * Type 1 deletes the account now; type 2 (the vendor's default) in DELETION_DELAY_SECONDS unless the user signs
   * in meanwhile. Either way every token of the user ends now.
   */
  async deleteAccount({ user }: SignedInEnduser, params: EnduserParams): Promise<void> {
    const type = params.has('type') ? params.text('type') : DELETE_LATER;
    if (type !== DELETE_NOW && type !== DELETE_LATER) {
      throw fail(EnduserErrorCode.DELETE_TYPE_INVALID, 'type');
    }
    if (type === DELETE_NOW) {
      await this.deletions.deleteNow(user);
      return;
    }
    await this.deletions.deleteLater(user);
    await this.users.endSessions(user.id);
  }

  /** Under the budget a login of the user spends (`user:<id>`, the key `UsersService.authenticate` names a found user by). */
  private async assertOldPassword(tenant: Tenant, user: User, oldPassword: string, client: string): Promise<void> {
    const budget = this.attempts.loginBudget(`${tenant.id}\nuser:${user.id}`, client, ENDUSER_LOGIN_POLICY);
    await budget.reserve();
    let matches: boolean;
    try {
      matches = await this.users.passwordMatches(user, oldPassword);
    } catch (error) {
      await budget.release();
      throw error;
    }
    if (matches) {
      await budget.recordSuccess();
      return;
    }
    if ((await budget.recordFailure()) > 0) {
      throw fail(EnduserErrorCode.OLD_PASSWORD_WRONG, 'oldPwd');
    }
    throw lockedOut();
  }

  /** The password under ENDUSER_LOGIN_POLICY and the SPEC's account-wide lock; a wrong one says how many tries are left. */
  private async authenticate(credentials: Credentials & { email: string }, client: string): Promise<User> {
    const budget = (account: string) => this.attempts.loginBudget(`${credentials.tenant.id}\n${account}`, client, ENDUSER_LOGIN_POLICY);
    try {
      return await this.users.authenticate({ ...credentials, budget });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== DomainErrorCode.CREDENTIALS_INVALID) {
        throw error;
      }
      const remaining = Number(error.details.params?.remaining ?? 0);
      const wrong = WRONG_PASSWORD[remaining];
      if (wrong) {
        throw fail(wrong, 'pwd');
      }
      throw lockedOut();
    }
  }
}

/** The answer to the failure that used up the budget: locked for the policy's whole lock time. */
function lockedOut(): DomainError {
  const { lockSeconds } = ENDUSER_LOGIN_POLICY;
  return new DomainError(DomainErrorCode.LOGIN_LOCKED, {
    params: { seconds: lockSeconds, minutes: lockSeconds / 60 },
    retryAfterSeconds: lockSeconds,
  });
}

function isRefusedAsCommon(tenant: Tenant, password: string): boolean {
  return !allowsCommonPasswords(tenant) && isCommonPassword(password);
}

function isImageUrl(value: string): boolean {
  if (value.length > HEAD_IMAGE_MAX_LENGTH || CONTROL.test(value)) {
    return false;
  }
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
