import { Injectable } from '@nestjs/common';
import { ALLOW_COMMON_PASSWORDS_SETTING } from '../../users/common-passwords';
import { Tenant } from '../../users/entities/tenant.entity';
import { NewTenant, TenantAdminError, TenantsService } from '../../users/tenants.service';
import { DemoSeeder } from '../dialect';
import { DomainSecretsService, DomainSecretUnreadableError } from './domain-secrets.service';
import { USER_DOMAIN_FORMAT } from './enduser-rules';
import { ENDUSER_TENANT_KIND } from './enduser.tenant-kind';

export const DEMO_USER_DOMAIN = 'C.DM.1.1';

/** Operator actions on enduser user domains, used by the CLI. */
@Injectable()
export class UserDomainAdminService implements DemoSeeder {
  constructor(
    private readonly tenants: TenantsService,
    private readonly secrets: DomainSecretsService,
  ) {}

  create(domain: string, enabled = true, allowCommonPasswords = false): Promise<Tenant> {
    if (!USER_DOMAIN_FORMAT.test(domain)) {
      throw new TenantAdminError(`${domain} is not a user domain: expected one uppercase letter, .DM., digits, ., digits (C.DM.10271.5)`);
    }
    return this.tenants.create(this.toTenant(domain, enabled, allowCommonPasswords));
  }

  setEnabled(domain: string, enabled: boolean): Promise<Tenant> {
    return this.tenants.setEnabled(ENDUSER_TENANT_KIND, domain, enabled);
  }

  async setCommonPasswords(domain: string, allowed: boolean): Promise<Tenant> {
    const tenant = await this.tenants.require(ENDUSER_TENANT_KIND, domain);
    return this.tenants.updateSettings(tenant, { [ALLOW_COMMON_PASSWORDS_SETTING]: allowed });
  }

  /** The domain's login signature secret (made on first need), or a new one replacing it with `rotate`. */
  async secret(domain: string, rotate: boolean): Promise<{ domain: string; secret: string }> {
    const tenant = await this.tenants.require(ENDUSER_TENANT_KIND, domain);
    const secret = rotate ? await this.secrets.rotate(tenant) : await this.secrets.secretOf(tenant);
    if (secret === null) {
      throw new DomainSecretUnreadableError(`the secret of ${domain} was sealed under another JWT_SECRET: make a new one with --rotate`);
    }
    return { domain: tenant.code, secret };
  }

  private toTenant(domain: string, enabled: boolean, allowCommonPasswords = false): NewTenant {
    return {
      kind: ENDUSER_TENANT_KIND,
      code: domain,
      name: domain,
      enabled,
      settings: { [ALLOW_COMMON_PASSWORDS_SETTING]: allowCommonPasswords },
    };
  }

  async seedDemo() {
    const tenant = await this.tenants.ensure(this.toTenant(DEMO_USER_DOMAIN, true));
    return { userDomain: tenant.code };
  }
}
