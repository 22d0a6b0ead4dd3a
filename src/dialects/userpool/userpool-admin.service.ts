import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ALLOW_COMMON_PASSWORDS_SETTING } from '../../users/common-passwords';
import { Tenant } from '../../users/entities/tenant.entity';
import { TenantsService } from '../../users/tenants.service';
import { DemoSeeder } from '../dialect';
import { DEFAULT_USERPOOL_SETTINGS, PasswordStrengthLevel } from './userpool-settings';
import { USERPOOL_TENANT_KIND } from './userpool.tenant-kind';

export interface NewUserpool {
  name: string;
  id?: string;
  passwordStrength?: PasswordStrengthLevel;
  registrationEnabled?: boolean;
  allowCommonPasswords?: boolean;
}

/** What `userpool set` may change. */
export interface UserpoolChanges {
  allowCommonPasswords?: boolean;
  loginFailures?: number | 'default';
  loginWindowSeconds?: number | 'default';
}

export const DEMO_USERPOOL_ID = 'demo';

/** Operator actions on userpools, used by the CLI. */
@Injectable()
export class UserpoolAdminService implements DemoSeeder {
  constructor(private readonly tenants: TenantsService) {}

  create(input: NewUserpool): Promise<Tenant> {
    return this.tenants.create(this.toTenant(input));
  }

  /**
   * Changes the settings given of an existing pool, keeping the others. A login limit of `'default'`
   * removes the pool's own value, so the global policy applies again.
   */
  async update(id: string, changes: UserpoolChanges): Promise<Tenant> {
    const pool = await this.tenants.require(USERPOOL_TENANT_KIND, id);
    const given = Object.entries({
      [ALLOW_COMMON_PASSWORDS_SETTING]: changes.allowCommonPasswords,
      loginFailures: changes.loginFailures,
      loginWindowSeconds: changes.loginWindowSeconds,
    }).filter(([, value]) => value !== undefined);
    // Settings are stored as JSON, where an undefined value is no key at all.
    return this.tenants.updateSettings(
      pool,
      Object.fromEntries(given.map(([key, value]) => [key, value === 'default' ? undefined : value])),
    );
  }

  async seedDemo() {
    const pool = await this.tenants.ensure(this.toTenant({ id: DEMO_USERPOOL_ID, name: 'Demo userpool' }));
    return { userpool: pool.code };
  }

  private toTenant(input: NewUserpool) {
    return {
      kind: USERPOOL_TENANT_KIND,
      // Authing pool ids are 24 hex characters.
      code: input.id ?? randomBytes(12).toString('hex'),
      name: input.name,
      enabled: input.registrationEnabled ?? true,
      settings: {
        passwordStrength: input.passwordStrength ?? DEFAULT_USERPOOL_SETTINGS.passwordStrength,
        [ALLOW_COMMON_PASSWORDS_SETTING]: input.allowCommonPasswords ?? false,
      },
    };
  }
}
