import { Injectable } from '@nestjs/common';
import { DomainError, FieldError } from '../../error-codes/domain-error';
import { AttemptCounterService } from '../../rate-limit/attempt-counter.service';
import { RefreshTokensService } from '../../tokens/refresh-tokens.service';
import { Tenant } from '../../users/entities/tenant.entity';
import { User, UserStatus } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { RequestAttributes } from './dto/jsonapi-request.pipe';
import { JsonApiUsersErrorCode as J } from './jsonapi-users.error-map';
import { JsonApiUsersService } from './jsonapi-users.service';
import { checkPassword, commonPasswordErrors } from './registration-rules';
import { SiteSettings } from './site-settings';
import { SiteService } from './site.service';

const isAbsent = (value: unknown) => value === undefined || value === null || value === '';

/**
 * Discuz! Q's password change (`PATCH /api/users/{id}` with `password`, `newPassword` and
 * `password_confirmation`; the original's UpdateUser): own user only; the current password unless the
 * account has none; every other session of the user ends, the caller's goes on.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly site: SiteService,
    private readonly users: UsersService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly attempts: AttemptCounterService,
    private readonly jsonApi: JsonApiUsersService,
  ) {}

  /**
   * A document without `newPassword` changes nothing and answers the resource, as a JSON:API PATCH without
   * attributes does. The new password's rules are checked before the current password, so a refused one
   * costs no try; wrong current passwords count against the account's login budget, like failed logins.
   */
  async change(viewer: User, familyId: string, id: string, attributes: RequestAttributes, client: string) {
    const user = /^\d{1,15}$/.test(id) ? await this.users.find(viewer.tenantId, Number(id)) : null;
    if (!user || user.status !== UserStatus.Active) {
      throw new DomainError(J.RESOURCE_NOT_FOUND);
    }
    if (user.id !== viewer.id) {
      throw new DomainError(J.PERMISSION_DENIED);
    }
    if (isAbsent(attributes.newPassword)) {
      return this.jsonApi.ownDocument(user);
    }
    const { site, settings } = await this.site.current();
    const newPassword = this.checkNewPassword(site, settings, attributes);
    if (await this.users.hasPassword(user)) {
      await this.assertCurrentPassword(site, user, attributes.password, client);
      if (await this.users.passwordMatches(user, newPassword)) {
        throw new DomainError(J.CANNOT_USE_THE_SAME_PASSWORD, { field: 'newPassword' });
      }
    }
    await this.users.setPassword(user, newPassword, site, { source: 'password.change', field: 'newPassword' });
    await this.refreshTokens.revokeOtherFamilies(user.id, familyId);
    return this.jsonApi.ownDocument(user);
  }

  /** The site's rules, the common-password list and the confirmation, all reported at once. */
  private checkNewPassword(site: Tenant, settings: SiteSettings, attributes: RequestAttributes): string {
    const checked = checkPassword(attributes.newPassword, settings, 'newPassword');
    const errors: FieldError[] = [
      ...checked.errors,
      ...(checked.value === undefined ? [] : commonPasswordErrors(checked.value, site, 'newPassword')),
    ];
    if (attributes.password_confirmation !== attributes.newPassword) {
      errors.push({ field: 'password_confirmation', code: J.PASSWORD_CONFIRMATION_MISMATCH });
    }
    if (checked.value === undefined || errors.length) {
      const [first] = errors;
      throw new DomainError(first.code, { field: first.field, params: first.params, fields: errors });
    }
    return checked.value;
  }

  private async assertCurrentPassword(site: Tenant, user: User, current: unknown, client: string): Promise<void> {
    // The key UsersService.authenticate gives the account, so a wrong old password and a wrong login spend one budget.
    const budget = this.attempts.loginBudget(`${site.id}\nuser:${user.id}`, client);
    await budget.reserve();
    let settled = false;
    try {
      const matches = typeof current === 'string' && (await this.users.passwordMatches(user, current));
      settled = true;
      if (!matches) {
        await budget.recordFailure();
        throw new DomainError(J.NOT_MATCH_USED_PASSWORD, { field: 'password' });
      }
      await budget.recordSuccess();
    } finally {
      if (!settled) {
        await budget.release();
      }
    }
  }
}
