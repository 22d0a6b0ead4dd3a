import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { MailService } from '../../mail/mail.service';
import { CodePurpose } from '../../users/entities/verification-code.entity';
import { TenantsService } from '../../users/tenants.service';
import { UsersService } from '../../users/users.service';
import { VerificationCodesService } from '../../users/verification-codes.service';
import { DataCenter } from './data-center';
import { EnduserErrorCode } from './enduser.error-map';
import { emailOf, fail, mccOf, passwordOf, referenceOf, requireParams, userDomainOf } from './enduser-checks';
import { passwordResetCodeMail, registrationCodeMail } from './enduser-mail';
import { EnduserParams } from './enduser-params';
import { findLanguage, findNationality, findTimezone } from './reference-data';
import { ENDUSER_TENANT_KIND } from './enduser.tenant-kind';

/** sendEmail's emailType: 1 a registration code, 2 a password-reset code (userPwdReset); the vendor's others do not exist here. */
export const EMAIL_TYPE_REGISTRATION = '1';
export const EMAIL_TYPE_PASSWORD_RESET = '2';

/** Quectel user ids look like `C131362`. */
export const formatEnduserId = (id: number) => `C${id}`;

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
    requireParams(params, [
      ['pwd', DomainErrorCode.PASSWORD_REQUIRED],
      ['userDomain', DomainErrorCode.TENANT_REQUIRED],
      ['email', DomainErrorCode.EMAIL_REQUIRED],
      ['code', DomainErrorCode.VERIFICATION_CODE_REQUIRED],
    ]);
    const domain = userDomainOf(params);
    const email = emailOf(params);
    const password = passwordOf(params);
    const timezone = referenceOf(params, 'timezone', findTimezone, EnduserErrorCode.TIMEZONE_INVALID);
    const nationality = referenceOf(params, 'nationality', findNationality, EnduserErrorCode.NATIONALITY_INVALID);
    const lang = referenceOf(params, 'lang', findLanguage, EnduserErrorCode.LANGUAGE_INVALID);
    const mcc = mccOf(params, this.dataCenter);

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
   * Sends a code: on the v2 endpoint, which requires `emailType`, a registration (1) or password-reset (2) code;
   * on the legacy one always a registration code. `emailType` is not in the vendor's table, so it is required
   * after the parameters that are, and its value checked after theirs.
   */
  async sendCode(params: EnduserParams, options: { requireEmailType: boolean; chinese: boolean }): Promise<void> {
    requireParams(params, [
      ['userDomain', DomainErrorCode.TENANT_REQUIRED],
      ['email', DomainErrorCode.EMAIL_REQUIRED],
      ...(options.requireEmailType ? [['emailType', EnduserErrorCode.EMAIL_TYPE_REQUIRED] as const] : []),
    ]);
    const domain = userDomainOf(params);
    const email = emailOf(params);
    const emailType = options.requireEmailType ? params.text('emailType') : EMAIL_TYPE_REGISTRATION;
    if (emailType !== EMAIL_TYPE_REGISTRATION && emailType !== EMAIL_TYPE_PASSWORD_RESET) {
      throw fail(DomainErrorCode.VERIFICATION_TYPE_UNSUPPORTED, 'emailType');
    }
    const tenant = await this.tenants.requireActive(ENDUSER_TENANT_KIND, domain, 'userDomain');
    const { ttlSeconds } = this.config.codes;
    if (emailType === EMAIL_TYPE_PASSWORD_RESET) {
      if (!(await this.users.findByEmail(tenant.id, email))) {
        throw fail(EnduserErrorCode.EMAIL_NOT_REGISTERED, 'email');
      }
      await this.codes.send({ tenantId: tenant.id, email, purpose: CodePurpose.ResetPassword }, (code) =>
        this.mail.send(passwordResetCodeMail(email, code, ttlSeconds, options.chinese)),
      );
      return;
    }
    // A code for an address that is taken, or that registration would refuse, could never be used.
    await this.users.assertRegistrable({ tenant, email });
    await this.codes.send({ tenantId: tenant.id, email, purpose: CodePurpose.Registration }, (code) =>
      this.mail.send(registrationCodeMail(email, code, ttlSeconds, options.chinese)),
    );
  }
}
