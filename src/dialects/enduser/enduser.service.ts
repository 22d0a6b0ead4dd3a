import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { MailService } from '../../mail/mail.service';
import { CodePurpose } from '../../users/entities/verification-code.entity';
import { isValidEmail } from '../../users/normalization';
import { TenantsService } from '../../users/tenants.service';
import { UsersService } from '../../users/users.service';
import { VerificationCodesService } from '../../users/verification-codes.service';
import { DataCenter } from './data-center';
import { EnduserErrorCode } from './enduser.error-map';
import { registrationCodeMail } from './enduser-mail';
import { EnduserParams } from './enduser-params';
import { optionalId, PASSWORD_FORMAT, USER_DOMAIN_FORMAT } from './enduser-rules';
import { decryptPwd, PwdDecryptionError } from './pwd-cipher';
import { countryOfMcc, findLanguage, findNationality, findTimezone } from './reference-data';
import { ENDUSER_TENANT_KIND } from './enduser.tenant-kind';

/** emailType 1 is a registration code; the vendor's other types (password reset, ...) do not exist here yet. */
export const EMAIL_TYPE_REGISTRATION = '1';

/** Quectel user ids look like `C131362`. */
export const formatEnduserId = (id: number) => `C${id}`;

const fail = (code: DomainErrorCode | EnduserErrorCode, field: string) => new DomainError(code, { field });

/**
 * The enduser rules, checked in the order docs/dialects/enduser.md#errors gives: required parameters (in the vendor table's order),
 * then formats, then existence (domain, duplicates), then the verification code.
 */
@Injectable()
export class EnduserService {
  constructor(
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly codes: VerificationCodesService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataCenter: DataCenter,
  ) {}

  /** Registers a user and returns the vendor-style id. */
  async register(params: EnduserParams): Promise<string> {
    this.require(params, [
      ['pwd', DomainErrorCode.PASSWORD_REQUIRED],
      ['userDomain', DomainErrorCode.TENANT_REQUIRED],
      ['email', DomainErrorCode.EMAIL_REQUIRED],
      ['code', DomainErrorCode.VERIFICATION_CODE_REQUIRED],
    ]);
    const domain = this.userDomain(params);
    const email = this.email(params);
    const password = this.password(params);
    const timezone = this.reference(params, 'timezone', findTimezone, EnduserErrorCode.TIMEZONE_INVALID);
    const nationality = this.reference(params, 'nationality', findNationality, EnduserErrorCode.NATIONALITY_INVALID);
    const lang = this.reference(params, 'lang', findLanguage, EnduserErrorCode.LANGUAGE_INVALID);
    const mcc = this.mcc(params);

    const tenant = await this.tenants.requireActive(ENDUSER_TENANT_KIND, domain, 'userDomain');
    const user = await this.users.register({
      tenant,
      email,
      password,
      registerSource: 'enduser:email',
      profile: { lang, nationality, timezone, mcc },
      claims: [this.codes.claim({ tenantId: tenant.id, email, purpose: CodePurpose.Registration }, params.text('code') ?? '', 'code')],
      fields: { email: 'email', password: 'pwd' },
    });
    return formatEnduserId(user.id);
  }

  /**
   * Sends a registration code; `emailType` is checked only on the v2 endpoint, which requires it. It is not
   * in the vendor's table, so it is required after the parameters that are, and its value checked after theirs.
   */
  async sendRegistrationCode(params: EnduserParams, options: { requireEmailType: boolean; chinese: boolean }): Promise<void> {
    this.require(params, [
      ['userDomain', DomainErrorCode.TENANT_REQUIRED],
      ['email', DomainErrorCode.EMAIL_REQUIRED],
      ...(options.requireEmailType ? [['emailType', EnduserErrorCode.EMAIL_TYPE_REQUIRED] as const] : []),
    ]);
    const domain = this.userDomain(params);
    const email = this.email(params);
    if (options.requireEmailType && params.text('emailType') !== EMAIL_TYPE_REGISTRATION) {
      throw fail(DomainErrorCode.VERIFICATION_TYPE_UNSUPPORTED, 'emailType');
    }
    const tenant = await this.tenants.requireActive(ENDUSER_TENANT_KIND, domain, 'userDomain');
    // A code for an address that is taken, or that registration would refuse, could never be used.
    await this.users.assertRegistrable({ tenant, email });
    await this.codes.send({ tenantId: tenant.id, email, purpose: CodePurpose.Registration }, (code) =>
      this.mail.send(registrationCodeMail(email, code, this.config.codes.ttlSeconds, options.chinese)),
    );
  }

  private require(params: EnduserParams, required: (readonly [string, DomainErrorCode | EnduserErrorCode])[]): void {
    const missing = required.find(([name]) => !params.has(name));
    if (missing) {
      throw fail(missing[1], missing[0]);
    }
  }

  private userDomain(params: EnduserParams): string {
    const domain = params.text('userDomain');
    if (typeof domain !== 'string' || !USER_DOMAIN_FORMAT.test(domain)) {
      throw fail(EnduserErrorCode.TENANT_INVALID, 'userDomain');
    }
    return domain;
  }

  private email(params: EnduserParams): string {
    const email = params.text('email');
    if (typeof email !== 'string' || !isValidEmail(email)) {
      throw fail(DomainErrorCode.EMAIL_INVALID, 'email');
    }
    return email;
  }

  /** `pwd` is AES-encrypted when `random` is given, plaintext otherwise. */
  private password(params: EnduserParams): string {
    const pwd = params.text('pwd');
    const random = params.text('random');
    if (typeof pwd !== 'string' || random === null) {
      throw fail(DomainErrorCode.PASSWORD_INVALID, 'pwd');
    }
    let password = pwd;
    if (random) {
      try {
        password = decryptPwd(pwd, random);
      } catch (error) {
        if (error instanceof PwdDecryptionError) {
          throw fail(EnduserErrorCode.PASSWORD_DECRYPTION_FAILED, 'pwd');
        }
        throw error;
      }
    }
    if (!PASSWORD_FORMAT.test(password)) {
      throw fail(DomainErrorCode.PASSWORD_INVALID, 'pwd');
    }
    return password;
  }

  private reference(params: EnduserParams, name: string, find: (id: number) => unknown, code: EnduserErrorCode): number | null {
    const id = optionalId(params.text(name));
    if (id === undefined) {
      return null;
    }
    if (Number.isNaN(id) || !find(id)) {
      throw fail(code, name);
    }
    return id;
  }

  /** An MCC must name a country (6085) that this data centre serves (6084). */
  private mcc(params: EnduserParams): number | null {
    const mcc = optionalId(params.text('mcc'));
    if (mcc === undefined) {
      return null;
    }
    const country = Number.isNaN(mcc) ? undefined : countryOfMcc(mcc);
    if (!country) {
      throw fail(EnduserErrorCode.MCC_UNKNOWN, 'mcc');
    }
    if (!this.dataCenter.serves(country)) {
      throw fail(EnduserErrorCode.MCC_OTHER_DATA_CENTER, 'mcc');
    }
    return mcc;
  }
}
