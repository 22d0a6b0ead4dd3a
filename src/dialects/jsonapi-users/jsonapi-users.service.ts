import { Injectable } from '@nestjs/common';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError, FieldError } from '../../error-codes/domain-error';
import { AttemptCounterService } from '../../rate-limit/attempt-counter.service';
import { RefreshTokensService } from '../../tokens/refresh-tokens.service';
import { TokensService } from '../../tokens/tokens.service';
import { Tenant } from '../../users/entities/tenant.entity';
import { User, UserStatus } from '../../users/entities/user.entity';
import { InvitesService } from './invites.service';
import { normalizeUsername } from '../../users/normalization';
import { RegistrationClaim } from '../../users/registration-claim';
import { UsersService } from '../../users/users.service';
import { RequestAttributes } from './dto/jsonapi-request.pipe';
import { JsonApiUsersErrorCode } from './jsonapi-users.error-map';
import { forumDocument, IssuedTokens, TOKEN_TTL_SECONDS, tokenDocument, userDocument } from './jsonapi-users.presenter';
import {
  checkInviteCode,
  checkPassword,
  checkRegisterReason,
  checkUsername,
  requiredString,
  stripWhitespace,
  usernameContentErrors,
} from './registration-rules';
import { SiteService } from './site.service';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The first error decides the domain code; every field's errors travel in `fields`. */
function validationError(errors: FieldError[]): DomainError {
  const [first] = errors;
  return new DomainError(first.code, { field: first.field, params: first.params, fields: errors });
}

/** The Discuz! Q rules on the shared core: registration, login, token rotation and what the web client reads. */
@Injectable()
export class JsonApiUsersService {
  constructor(
    private readonly site: SiteService,
    private readonly users: UsersService,
    private readonly invites: InvitesService,
    private readonly tokens: TokensService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly attempts: AttemptCounterService,
  ) {}

  /**
   * docs/dialects/jsonapi-users.md: a closed site refuses before anything else; then every attribute is checked and every
   * failure reported at once (the unique username and the invite code included); in review mode the user
   * is created pending and told so with 401 `register_validate`.
   */
  async register(attributes: RequestAttributes) {
    const { site, settings } = await this.site.current();
    if (settings.registerMode === 'closed') {
      throw new DomainError(JsonApiUsersErrorCode.REGISTRATION_CLOSED);
    }
    const username = checkUsername(attributes.username);
    const password = checkPassword(attributes.password, settings);
    const reason = checkRegisterReason(attributes.register_reason, settings.registerMode);
    const invite = checkInviteCode(attributes.code, settings);
    const claim = invite.value === undefined ? undefined : this.invites.claim(site, invite.value, 'code');
    const errors = [
      ...username.errors,
      ...(username.value === undefined ? [] : await this.usernameErrors(site, username.value, settings.bannedWords)),
      ...password.errors,
      ...reason.errors,
      ...invite.errors,
      ...(claim ? await this.claimErrors(claim) : []),
    ];
    if (errors.length || username.value === undefined || password.value === undefined) {
      throw validationError(errors);
    }
    const review = settings.registerMode === 'review';
    const user = await this.users.register({
      tenant: site,
      username: username.value,
      password: password.value,
      registerSource: 'jsonapi-users:username',
      status: review ? UserStatus.PendingReview : UserStatus.Active,
      profile: reason.value === undefined ? {} : { registerReason: reason.value },
      claims: claim ? [claim] : [],
      fields: { username: 'username', password: 'password' },
    });
    if (review) {
      throw new DomainError(DomainErrorCode.REGISTRATION_PENDING_REVIEW);
    }
    await this.users.recordLogin(user.id);
    return tokenDocument(await this.issueTokens(site, user));
  }

  /**
   * Failures count per site, username and client; the fifth answers 402 at once, as the original
   * does, and so does every try for the next 15 minutes. Past 20 failures from all clients, the name is
   * locked for everyone (AttemptCounterService.loginBudget).
   */
  async login(attributes: RequestAttributes, client: string) {
    // Registration stored the name without white space, so `ali ce` logs in as the `alice` it registered.
    const username = requiredString(attributes.username, 'username', DomainErrorCode.USERNAME_REQUIRED);
    const name = username.value === undefined ? undefined : stripWhitespace(username.value);
    const password = requiredString(attributes.password, 'password', DomainErrorCode.PASSWORD_REQUIRED);
    if (!name || password.value === undefined) {
      const usernameErrors = name === '' ? [{ field: 'username', code: DomainErrorCode.USERNAME_REQUIRED }] : username.errors;
      throw validationError([...usernameErrors, ...password.errors]);
    }
    const { site } = await this.site.current();
    const budget = this.attempts.loginBudget(`${site.id}\n${normalizeUsername(name)}`, client);
    let user: User;
    try {
      user = await this.users.authenticate({ tenant: site, username: name, password: password.value, attempts: budget });
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.CREDENTIALS_INVALID && error.details.params?.remaining === 0) {
        const { lockSeconds } = this.attempts.loginPolicy;
        throw new DomainError(DomainErrorCode.LOGIN_LOCKED, {
          params: { seconds: lockSeconds, minutes: lockSeconds / 60 },
          retryAfterSeconds: lockSeconds,
        });
      }
      throw error;
    }
    return tokenDocument(await this.issueTokens(site, user));
  }

  /**
   * Rotates the refresh token: the presented one is spent; presenting it again after the retry window
   * revokes its whole family, and with it every access token issued from it.
   */
  async refresh(attributes: RequestAttributes) {
    const presented = requiredString(attributes.refresh_token, 'refresh_token', DomainErrorCode.VALIDATION_FAILED, { rule: 'required' });
    if (presented.value === undefined) {
      throw validationError(presented.errors);
    }
    const { site } = await this.site.current();
    const rotated = await this.refreshTokens.rotate(site.id, presented.value, TOKEN_TTL_SECONDS);
    const accessToken = await this.accessToken(site, rotated.user, rotated.familyId);
    return tokenDocument({ userId: rotated.userId, accessToken, refreshToken: rotated.token });
  }

  async forum(authorization: string | undefined, siteUrl: string) {
    const { site, settings } = await this.site.current();
    const viewer = await this.viewer(site, authorization);
    return forumDocument({ site, settings, siteUrl, viewer });
  }

  /** Only active members are visible; a pending or rejected applicant is no member yet. */
  async user(viewer: User, id: string, include: readonly string[]) {
    const user = /^\d{1,15}$/.test(id) ? await this.users.find(viewer.tenantId, Number(id)) : null;
    if (!user || user.status !== UserStatus.Active) {
      throw new DomainError(JsonApiUsersErrorCode.RESOURCE_NOT_FOUND);
    }
    return userDocument(user, viewer, include.includes('groups'));
  }

  /** The active user a Bearer access token of this site names, or UNAUTHORIZED. */
  async authenticateBearer(authorization: string | undefined): Promise<User> {
    const { site } = await this.site.current();
    const viewer = await this.viewer(site, authorization);
    if (!viewer) {
      throw new DomainError(DomainErrorCode.UNAUTHORIZED);
    }
    return viewer;
  }

  private async viewer(site: Tenant, authorization: string | undefined): Promise<User | null> {
    const token = BEARER.exec(authorization ?? '')?.[1];
    return token ? this.tokens.userOf(site.id, token, this.audience(site), { familyRequired: true }) : null;
  }

  private async usernameErrors(site: Tenant, username: string, bannedWords: readonly string[]): Promise<FieldError[]> {
    const errors = usernameContentErrors(username, bannedWords);
    try {
      await this.users.assertAvailable({ tenant: site, username, fields: { username: 'username' } });
    } catch (error) {
      errors.push(...this.fieldErrorsOf(error));
    }
    return errors;
  }

  private async claimErrors(claim: RegistrationClaim): Promise<FieldError[]> {
    try {
      await claim.check();
      return [];
    } catch (error) {
      return this.fieldErrorsOf(error);
    }
  }

  /** A DomainError about a field joins the others; anything else (the database is down) ends the request. */
  private fieldErrorsOf(error: unknown): FieldError[] {
    if (error instanceof DomainError && error.fieldErrors.length) {
      return error.fieldErrors;
    }
    throw error;
  }

  private async issueTokens(site: Tenant, user: User): Promise<IssuedTokens> {
    const refresh = await this.refreshTokens.issue(site.id, user, TOKEN_TTL_SECONDS);
    return { userId: user.id, accessToken: await this.accessToken(site, user, refresh.familyId), refreshToken: refresh.token };
  }

  private async accessToken(site: Tenant, user: User, familyId: string): Promise<string> {
    return (await this.tokens.issue(user, this.audience(site), TOKEN_TTL_SECONDS, { familyId })).token;
  }

  private audience(site: Tenant): string {
    return `${site.kind}:${site.code}`;
  }
}
