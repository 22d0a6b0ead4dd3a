import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ALLOW_COMMON_PASSWORDS_SETTING } from '../../users/common-passwords';
import { Tenant } from '../../users/entities/tenant.entity';
import { ServerKey } from './server-key.entity';
import { IssuedServerKey, ServerKeysService } from './server-keys.service';
import { TenantAdminError, TenantsService } from '../../users/tenants.service';
import { DemoSeeder } from '../dialect';
import { BytepowerAppSettings } from './bytepower-settings';
import { BYTEPOWER_TENANT_KIND } from './bytepower.tenant-kind';

export interface NewBytepowerApp {
  name: string;
  id?: string;
  signupVerification?: boolean;
  allowCommonPasswords?: boolean;
}

/** What `app set` changes; an omitted setting is left as it is. */
export interface AppSettingsChange {
  signupVerification?: boolean;
  allowCommonPasswords?: boolean;
}

export interface IssuedAppKey extends IssuedServerKey {
  appId: string;
}

export const DEMO_APP_ID = 'demo';

/** Key names say whose they are at a glance in logs and configs. */
const KEY_PREFIX = 'bpk';

/** Operator actions on BytePower apps and their server keys, used by the CLI. */
@Injectable()
export class BytepowerAdminService implements DemoSeeder {
  constructor(
    private readonly tenants: TenantsService,
    private readonly keys: ServerKeysService,
  ) {}

  /** Creates an app with its first server key. */
  async createApp(input: NewBytepowerApp): Promise<IssuedAppKey> {
    const settings: BytepowerAppSettings = { signupVerification: input.signupVerification ?? false };
    const app = await this.tenants.create({
      kind: BYTEPOWER_TENANT_KIND,
      code: input.id ?? randomBytes(8).toString('hex'),
      name: input.name,
      settings: { ...settings, [ALLOW_COMMON_PASSWORDS_SETTING]: input.allowCommonPasswords ?? false },
    });
    return { appId: app.code, ...(await this.keys.create(app, KEY_PREFIX)) };
  }

  /** Adds a key beside the app's others, so callers can move to it before the old one is revoked. */
  async createKey(appId: string): Promise<IssuedAppKey> {
    const app = await this.app(appId);
    return { appId: app.code, ...(await this.keys.create(app, KEY_PREFIX)) };
  }

  async revokeKey(keyName: string): Promise<void> {
    if (!(await this.keys.revoke(keyName))) {
      throw new TenantAdminError(`no active server key named ${keyName}`);
    }
  }

  async listKeys(appId: string): Promise<ServerKey[]> {
    return this.keys.list(await this.app(appId));
  }

  async updateSettings(appId: string, change: AppSettingsChange): Promise<Tenant> {
    const changes: Record<string, boolean> = {};
    if (change.signupVerification !== undefined) {
      changes.signupVerification = change.signupVerification;
    }
    if (change.allowCommonPasswords !== undefined) {
      changes[ALLOW_COMMON_PASSWORDS_SETTING] = change.allowCommonPasswords;
    }
    return this.tenants.updateSettings(await this.app(appId), changes);
  }

  /** The demo app with a usable key; a second run shows the same key again instead of adding one. */
  async seedDemo() {
    const app = await this.tenants.ensure({
      kind: BYTEPOWER_TENANT_KIND,
      code: DEMO_APP_ID,
      name: 'Demo app',
      settings: { signupVerification: false },
    });
    const existing = (await this.keys.list(app)).find((key) => key.revokedAt === null);
    const opened = existing ? await this.keys.findActive(existing.keyName) : null;
    const key = opened ? { keyName: opened.keyName, keySecret: opened.secret } : await this.keys.create(app, KEY_PREFIX);
    return { bytepowerApp: app.code, bytepowerKeyName: key.keyName, bytepowerKeySecret: key.keySecret };
  }

  private app(appId: string): Promise<Tenant> {
    return this.tenants.require(BYTEPOWER_TENANT_KIND, appId);
  }
}
