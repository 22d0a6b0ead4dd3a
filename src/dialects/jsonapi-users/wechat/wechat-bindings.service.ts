import { Injectable } from '@nestjs/common';
import { Clock } from '../../../clock/clock';
import { Transaction } from '../../../database/transaction';
import { TransactionRunnerService } from '../../../database/transaction-runner.service';
import { DomainError } from '../../../error-codes/domain-error';
import { Tenant } from '../../../users/entities/tenant.entity';
import { UsersService } from '../../../users/users.service';
import { JsonApiUsersErrorCode } from '../jsonapi-users.error-map';
import { UserWechat } from './user-wechat.entity';
import { NewUserWechat, UserWechatsStore } from './user-wechats.store';
import { CHANNEL_COLUMNS, lookupIds, WechatIdentity } from './wechat-identity';

const taken = () => new DomainError(JsonApiUsersErrorCode.ACCOUNT_HAS_BEEN_BOUND);

const profileOf = (identity: WechatIdentity) => ({
  nickname: identity.nickname,
  sex: identity.sex,
  province: identity.province,
  city: identity.city,
  country: identity.country,
  headimgurl: identity.headimgurl,
});

/**
 * The binding that holds the identity: by the channel's own column first, then by the other column of
 * the same app, then by unionid (the same person met through another app of the open platform account).
 */
function bindingOf(rows: readonly UserWechat[], identity: WechatIdentity): UserWechat | undefined {
  const ids = lookupIds(identity);
  for (const [column, value] of ids) {
    const row = rows.find((candidate) => candidate[column] === value);
    if (row) {
      return row;
    }
  }
  return undefined;
}

/** What a bind wrote: whether the identity was the user's already, and the user it was moved from, if another held it. */
interface BindingWritten {
  wasTheUsers: boolean;
  movedFrom: number | null;
}

/**
 * Who a WeChat user is on the site (Discuz! Q's `user_wechats`, `Bind::withToken`, `Bind::bindMiniprogram`):
 * one binding per user, one user per identity. Every conflict is decided by the unique indexes, so of two
 * requests binding one identity one wins and the other hears `account_has_been_bound`.
 */
@Injectable()
export class WechatBindingsService {
  constructor(
    private readonly store: UserWechatsStore,
    private readonly transactions: TransactionRunnerService,
    private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  /** The binding a sign-in with this identity finds, or null. */
  async find(site: Tenant, identity: WechatIdentity): Promise<UserWechat | null> {
    return bindingOf(await this.store.findByIds(undefined, site.id, lookupIds(identity)), identity) ?? null;
  }

  /** The user's binding, or null. */
  ofUser(userId: number): Promise<UserWechat | null> {
    return this.store.findByUser(undefined, userId);
  }

  /**
   * Keeps the profile WeChat gave at a sign-in of a bound user, as the original refreshes `user_wechats`, and
   * the channel's openid when the binding was found by another id (the unionid): later sign-ins find it by both.
   */
  async refresh(binding: UserWechat, identity: WechatIdentity): Promise<void> {
    const column = CHANNEL_COLUMNS[identity.channel];
    const profile = { ...profileOf(identity), updatedAt: this.clock.now() };
    const update = (changes: Partial<NewUserWechat>) =>
      this.transactions.runStatement((transaction) => this.store.update(transaction, binding.id, changes));
    try {
      await update(binding[column] === null ? { ...profile, [column]: identity.openid } : profile);
    } catch (error) {
      // A racing sign-in bound that openid elsewhere a moment ago: the profile is still this binding's.
      if (!this.store.isTaken(error)) {
        throw error;
      }
      await update(profile);
    }
  }

  /** Fails early, before a registration's hash or a WeChat call, when the identity is someone else's and `rebind` is not asked. */
  async assertBindable(site: Tenant, identity: WechatIdentity, rebind: boolean, userId?: number): Promise<void> {
    const binding = rebind ? null : await this.find(site, identity);
    if (binding && binding.userId !== userId) {
      throw taken();
    }
  }

  /**
   * Binds the identity to the user inside `transaction`. Bound to another user, or the user bound to
   * another WeChat user of the same app: ACCOUNT_HAS_BEEN_BOUND, unless `rebind`, which moves the
   * identity's binding (with whatever else of that person it holds) to the user, in place of the user's own.
   * Records `user.updated` in the same transaction: `wechat.bind` for the user, unless `newUser` (its
   * `user.created` tells of it) or the identity was the user's already, and `wechat.unbind` for a user the
   * binding was moved from.
   */
  async bind(
    transaction: Transaction,
    site: Tenant,
    userId: number,
    identity: WechatIdentity,
    options: { rebind: boolean; newUser: boolean },
  ): Promise<void> {
    let written: BindingWritten;
    try {
      written = await this.write(transaction, site, userId, identity, options.rebind);
    } catch (error) {
      throw this.store.isTaken(error) ? taken() : error;
    }
    if (written.movedFrom !== null) {
      await this.users.recordUpdate(transaction, written.movedFrom, 'wechat.unbind');
    }
    if (!options.newUser && !written.wasTheUsers) {
      await this.users.recordUpdate(transaction, userId, 'wechat.bind');
    }
  }

  private async write(
    transaction: Transaction,
    site: Tenant,
    userId: number,
    identity: WechatIdentity,
    rebind: boolean,
  ): Promise<BindingWritten> {
    const column = CHANNEL_COLUMNS[identity.channel];
    const rows = await this.store.findByIds(transaction, site.id, lookupIds(identity));
    const target = bindingOf(rows, identity);
    let own = target?.userId === userId ? target : await this.store.findByUser(transaction, userId);
    const written: BindingWritten = {
      wasTheUsers: target?.userId === userId,
      movedFrom: target && target.userId !== userId ? target.userId : null,
    };
    if (target && target.userId !== userId) {
      if (!rebind) {
        throw taken();
      }
      if (own) {
        await this.store.delete(transaction, own.id);
      }
      own = target;
    } else if (own && (this.differs(own[column], identity.openid) || this.differs(own.unionid, identity.unionid))) {
      // The user holds another WeChat user of this app, or another person altogether.
      if (!rebind) {
        throw taken();
      }
      await this.store.delete(transaction, own.id);
      own = null;
    }
    const now = this.clock.now();
    // A unionid another binding holds (data from before unireg may have one) is left where it is.
    const unionidFree = identity.unionid !== null && !rows.some((row) => row.id !== own?.id && row.unionid === identity.unionid);
    const unionid = own?.unionid ?? (unionidFree ? identity.unionid : null);
    if (own) {
      await this.store.update(transaction, own.id, { userId, [column]: identity.openid, unionid, ...profileOf(identity), updatedAt: now });
      return written;
    }
    const row: NewUserWechat = {
      tenantId: site.id,
      userId,
      mpOpenid: null,
      devOpenid: null,
      minOpenid: null,
      [column]: identity.openid,
      unionid,
      ...profileOf(identity),
      createdAt: now,
      updatedAt: now,
    };
    await this.store.insert(transaction, row);
    return written;
  }

  private differs(held: string | null, given: string | null): boolean {
    return held !== null && given !== null && held !== given;
  }
}
