import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Invite } from './invite.entity';
import { Tenant } from '../../users/entities/tenant.entity';
import { InvitesService } from './invites.service';
import { normalizeUsername } from '../../users/normalization';
import { characterLength } from '../../users/password-rules';
import { TenantAdminError, TenantsService } from '../../users/tenants.service';
import { DemoSeeder } from '../dialect';
import { stripWhitespace } from './registration-rules';
import { BANNED_WORD_MAX_LENGTH, DEFAULT_SITE, SITE_CODE, SITE_NAME_MAX_LENGTH, SiteSettings, siteSettings } from './site-settings';
import { JSONAPI_USERS_TENANT_KIND } from './jsonapi-users.tenant-kind';

export interface SiteView {
  site: Tenant;
  settings: SiteSettings;
}

/**
 * The site tenant and its settings, for the HTTP API and the CLI alike. The site exists from the first
 * start of either, and is recreated on demand should its row ever go, so it never needs installing.
 */
@Injectable()
export class SiteService implements OnApplicationBootstrap, DemoSeeder {
  constructor(
    private readonly tenants: TenantsService,
    private readonly invites: InvitesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.current();
  }

  /** Read on every request, so a `site set` takes effect on the next one. */
  async current(): Promise<SiteView> {
    const site = await this.ensure();
    return { site, settings: siteSettings(site) };
  }

  async update(changes: Partial<Omit<SiteSettings, 'bannedWords'>>): Promise<SiteSettings> {
    if (changes.name !== undefined && (changes.name.trim() === '' || characterLength(changes.name) > SITE_NAME_MAX_LENGTH)) {
      throw new TenantAdminError(`the site name must be 1 to ${SITE_NAME_MAX_LENGTH} characters`);
    }
    const { site, settings } = await this.current();
    const defined: Partial<SiteSettings> = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    const sms = defined.sms ?? settings.sms;
    if (!sms && (defined.registerType ?? settings.registerType) === 1) {
      // The original does the same when SMS is turned off: a phone-first site falls back to usernames.
      if (defined.registerType === 1) {
        throw new TenantAdminError('register type 1 (phone first) needs SMS on (--sms on)');
      }
      defined.registerType = 0;
    }
    return siteSettings(await this.tenants.updateSettings(site, defined));
  }

  /** Adds words (white space removed, as in usernames); a word already listed in another case or form is kept once. */
  async addBannedWords(words: readonly string[]): Promise<string[]> {
    const cleaned = words.map(stripWhitespace);
    const invalid = cleaned.find((word) => word === '' || characterLength(word) > BANNED_WORD_MAX_LENGTH);
    if (invalid !== undefined) {
      throw new TenantAdminError(`a banned word must be 1 to ${BANNED_WORD_MAX_LENGTH} characters besides white space`);
    }
    const { site, settings } = await this.current();
    const list = [...settings.bannedWords];
    for (const word of cleaned) {
      if (!list.some((listed) => normalizeUsername(listed) === normalizeUsername(word))) {
        list.push(word);
      }
    }
    return siteSettings(await this.tenants.updateSettings(site, { bannedWords: list })).bannedWords;
  }

  /** Removes the words named in any case or form; returns the ones it removed. */
  async removeBannedWords(words: readonly string[]): Promise<{ removed: string[]; bannedWords: string[] }> {
    const targets = words.map((word) => normalizeUsername(stripWhitespace(word)));
    const { site, settings } = await this.current();
    const removed = settings.bannedWords.filter((word) => targets.includes(normalizeUsername(word)));
    const kept = settings.bannedWords.filter((word) => !removed.includes(word));
    const saved = await this.tenants.updateSettings(site, { bannedWords: kept });
    return { removed, bannedWords: siteSettings(saved).bannedWords };
  }

  async createInvites(count: number, expiresInDays?: number): Promise<Invite[]> {
    const { site } = await this.current();
    return this.invites.create(site, count, expiresInDays);
  }

  async listInvites(): Promise<Invite[]> {
    const { site } = await this.current();
    return this.invites.list(site);
  }

  async seedDemo() {
    const settings = await this.update({ registerMode: 'open' });
    return { siteRegisterMode: settings.registerMode };
  }

  /** Two processes starting at once may both try to create the site; the loser reads the winner's row. */
  private async ensure(): Promise<Tenant> {
    try {
      return await this.tenants.ensure(DEFAULT_SITE);
    } catch (error) {
      const site = error instanceof TenantAdminError ? await this.tenants.find(JSONAPI_USERS_TENANT_KIND, SITE_CODE) : null;
      if (!site) {
        throw error;
      }
      return site;
    }
  }
}
