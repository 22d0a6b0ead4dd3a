import { Injectable } from '@nestjs/common';
import { TransactionRunnerService } from '../../database/transaction-runner.service';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError, FieldError } from '../../error-codes/domain-error';
import { AttemptCounterService } from '../../rate-limit/attempt-counter.service';
import { RefreshTokensService } from '../../tokens/refresh-tokens.service';
import { TokensService } from '../../tokens/tokens.service';
import { Tenant } from '../../users/entities/tenant.entity';
import { User, UserStatus } from '../../users/entities/user.entity';
import { InvitesService } from './invites.service';
import { normalizeMobile } from '../../users/phone';
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
import { MobileTokensService } from './phone/mobile-tokens.service';
import { WechatIdentitiesService } from './wechat/wechat-identities.service';

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
    private readonly wechat: WechatIdentitiesService,
    private readonly transactions: TransactionRunnerService,
    private readonly mobileTokens: MobileTokensService,
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
    const wechat = this.wechat.claims(site, settings, attributes, true);
    const { binding: mobile, errors: mobileErrors } = await this.mobileTokens.check(site, attributes.mobileToken);
    const errors = [
      ...username.errors,
      ...(username.value === undefined ? [] : await this.usernameErrors(site, username.value, settings.bannedWords)),
      ...password.errors,
      ...reason.errors,
      ...invite.errors,
      ...(claim ? await this.claimErrors(claim) : []),
      ...wechat.errors,
      ...(await this.claimsErrors(wechat.claims)),
      ...mobileErrors,
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
      mobile: mobile?.mobile,
      claims: [...(claim ? [claim] : []), ...wechat.claims, ...(mobile ? [this.mobileTokens.registrationClaim(mobile)] : [])],
      fields: { username: 'username', password: 'password', mobile: 'mobileToken' },
    });
    if (review) {
      throw new DomainError(DomainErrorCode.REGISTRATION_PENDING_REVIEW);
    }
    await this.users.recordLogin(user.id, { source: 'login:register' });
    return tokenDocument(await this.issueTokens(site, user));
  }

  /**
   * Failures count per site, account and client, whether the username or the mobile was typed; the fifth
   * answers 402 at once, as the original does, and so does every try for the next 15 minutes. Past 20
   * failures from all clients, the account is locked for everyone (AttemptCounterService.loginBudget).
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
    const { site, settings } = await this.site.current();
    // What the login binds is read first: a wrong token must not cost a password try.
    const wechat = this.wechat.claims(site, settings, attributes, false);
    const { binding: mobileBinding, errors: mobileErrors } = await this.mobileTokens.check(site, attributes.mobileToken);
    const bindErrors = [...wechat.errors, ...(await this.claimsErrors(wechat.claims)), ...mobileErrors];
    if (bindErrors.length) {
      throw validationError(bindErrors);
    }
    // The name may be a mobile (docs/dialects/jsonapi-users.md#post-apilogin): a username that looks like one wins.
    const mobile = normalizeMobile(name) ?? undefined;
    const budget = (account: string) => this.attempts.loginBudget(`${site.id}\n${account}`, client);
    let user: User;
    try {
      user = await this.users.authenticate({
        tenant: site,
        username: name,
        mobile,
        password: password.value,
        budget,
        source: 'login:password',
      });
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
    const mobileClaims = mobileBinding ? [await this.mobileTokens.loginClaim(user, mobileBinding)] : [];
    await this.bindAtLogin(user, [...wechat.claims, ...mobileClaims]);
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

  /**
   * The token document of a user signed in some other way than a password (WeChat, an SMS code); only an active
   * user gets one. `source` is the sign-in's (`login:wechat`, `login:sms`, `login:register`).
   */
  async signIn(site: Tenant, user: User, source: string) {
    this.users.assertActive(user);
    await this.users.recordLogin(user.id, { source });
    return tokenDocument(await this.issueTokens(site, user));
  }

  async forum(authorization: string | undefined, siteUrl: string) {
    const { site, settings } = await this.site.current();
    const viewer = await this.viewer(site, authorization);
    return forumDocument({ site, settings, siteUrl, viewer });
  }

  /** Only active members are visible; a pending or rejected applicant is no member yet. */
  async user(viewer: User, id: string, include: readonly string[]) {
    // The viewer was read, active, by this very request's token check: reading one's own profile needs no second read.
    const user = id === String(viewer.id) ? viewer : /^\d{1,15}$/.test(id) ? await this.users.find(viewer.tenantId, Number(id)) : null;
    if (!user || user.status !== UserStatus.Active) {
      throw new DomainError(JsonApiUsersErrorCode.RESOURCE_NOT_FOUND);
    }
    return user.id === viewer.id ? this.ownDocument(user, include) : userDocument(user, viewer, include.includes('groups'));
  }

  /** The user's resource as the user itself sees it: its masked mobile, whether it has a password, and its WeChat binding if asked. */
  async ownDocument(user: User, include: readonly string[] = []) {
    const wechat = include.includes('wechat') ? await this.wechat.bindingOf(user) : undefined;
    return userDocument(user, user, include.includes('groups'), { hasPassword: await this.users.hasPassword(user), wechat });
  }

  /** The active user a Bearer access token of this site names, or UNAUTHORIZED. */
  async authenticateBearer(authorization: string | undefined): Promise<User> {
    return (await this.bearerSession(authorization)).user;
  }

  /** As `authenticateBearer`, with the refresh family the token was issued with: the caller's own session. */
  async bearerSession(authorization: string | undefined): Promise<{ user: User; familyId: string }> {
    const { site } = await this.site.current();
    const token = BEARER.exec(authorization ?? '')?.[1];
    const session = token ? await this.tokens.sessionOf(site.id, token, this.audience(site), { familyRequired: true }) : null;
    if (!session?.familyId) {
      throw new DomainError(DomainErrorCode.UNAUTHORIZED);
    }
    return { user: session.user, familyId: session.familyId };
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

  private async claimsErrors(claims: readonly RegistrationClaim[]): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    for (const claim of claims) {
      errors.push(...(await this.claimErrors(claim)));
    }
    return errors;
  }

  /** Spends what a login binds, all in one transaction, once the password proved the user. */
  private async bindAtLogin(user: User, claims: readonly RegistrationClaim[]): Promise<void> {
    if (claims.length) {
      await this.transactions.run(async (transaction) => {
        for (const claim of claims) {
          await claim.spend(transaction, user.id);
        }
      });
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
