import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { Tenant } from '../../users/entities/tenant.entity';

export interface BytepowerAppSettings {
  /** "Enable sign up verification" in BytePower's console: email sign-ups must carry a mailed code. */
  signupVerification: boolean;
}

/** An app's settings, or TENANT_MISCONFIGURED (config_invalid) when what is stored cannot be used. */
export function bytepowerSettings(app: Tenant): BytepowerAppSettings {
  const { signupVerification = false } = app.settings as Partial<BytepowerAppSettings>;
  if (typeof signupVerification !== 'boolean') {
    throw new DomainError(DomainErrorCode.TENANT_MISCONFIGURED, { reason: `app ${app.code} has a non-boolean signupVerification` });
  }
  return { signupVerification };
}
