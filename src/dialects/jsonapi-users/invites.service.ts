import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { DomainError } from '../../error-codes/domain-error';
import { Tenant } from '../../users/entities/tenant.entity';
import { RegistrationClaim } from '../../users/registration-claim';
import { Invite } from './invite.entity';
import { InvitesStore } from './invites.store';
import { JsonApiUsersErrorCode } from './jsonapi-users.error-map';

const DAY_MS = 24 * 3600 * 1000;

/** Upper-case letters and digits without the look-alikes 0/O and 1/I, so a code read aloud is typed right. */
const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const INVITE_LENGTH = 10;

function inviteCode(): string {
  return [...randomBytes(INVITE_LENGTH)].map((byte) => INVITE_ALPHABET[byte % INVITE_ALPHABET.length]).join('');
}

/** Single-use invite codes of a tenant. */
@Injectable()
export class InvitesService {
  constructor(
    private readonly invites: InvitesStore,
    private readonly clock: Clock,
  ) {}

  create(tenant: Tenant, count: number, expiresInDays?: number): Promise<Invite[]> {
    const now = this.clock.now();
    const rows = Array.from({ length: count }, () => ({
      tenantId: tenant.id,
      code: inviteCode(),
      createdAt: now,
      expiresAt: expiresInDays === undefined ? null : now + expiresInDays * DAY_MS,
      usedAt: null,
      usedBy: null,
    }));
    return this.invites.insert(rows);
  }

  list(tenant: Tenant): Promise<Invite[]> {
    return this.invites.list(tenant.id);
  }

  /** The registration claim of an invite code: it must be an unused, unexpired invite of the tenant. */
  claim(tenant: Tenant, code: string, field = 'code'): RegistrationClaim {
    const invalid = () => new DomainError(JsonApiUsersErrorCode.INVITE_CODE_INVALID, { field });
    let id: number | undefined;
    return {
      provesEmail: false,
      check: async () => {
        const invite = code.length <= 64 ? await this.invites.find(tenant.id, code) : null;
        if (!invite || !this.usable(invite)) {
          throw invalid();
        }
        id = invite.id;
      },
      spend: async (transaction, userId) => {
        if (id === undefined || !(await this.invites.spend(transaction, id, userId, this.clock.now()))) {
          throw invalid();
        }
      },
    };
  }

  private usable(invite: Invite): boolean {
    return invite.usedAt === null && (invite.expiresAt === null || invite.expiresAt > this.clock.now());
  }
}
