import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../clock/clock';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { Invite } from './entities/invite.entity';
import { Tenant } from './entities/tenant.entity';
import { RegistrationClaim } from './registration-claim';

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
    @InjectRepository(Invite) private readonly invites: Repository<Invite>,
    private readonly clock: Clock,
  ) {}

  async create(tenant: Tenant, count: number, expiresInDays?: number): Promise<Invite[]> {
    const now = this.clock.now();
    const rows = Array.from({ length: count }, () =>
      this.invites.create({
        tenantId: tenant.id,
        code: inviteCode(),
        createdAt: now,
        expiresAt: expiresInDays === undefined ? null : now + expiresInDays * DAY_MS,
        usedAt: null,
        usedBy: null,
      }),
    );
    return this.invites.save(rows);
  }

  list(tenant: Tenant): Promise<Invite[]> {
    return this.invites.find({ where: { tenantId: tenant.id }, order: { id: 'ASC' } });
  }

  /** The registration claim of an invite code: it must be an unused, unexpired invite of the tenant. */
  claim(tenant: Tenant, code: string, field = 'code'): RegistrationClaim {
    const invalid = () => new DomainError(DomainErrorCode.INVITE_CODE_INVALID, { field });
    let id: number | undefined;
    return {
      provesEmail: false,
      check: async () => {
        const invite = code.length <= 64 ? await this.invites.findOneBy({ tenantId: tenant.id, code }) : null;
        if (!invite || !this.usable(invite)) {
          throw invalid();
        }
        id = invite.id;
      },
      spend: async (manager, userId) => {
        const now = this.clock.now();
        const result = await manager
          .createQueryBuilder()
          .update(Invite)
          .set({ usedAt: now, usedBy: userId })
          .where('id = :id AND used_at IS NULL AND (expires_at IS NULL OR expires_at > :now)', { id, now })
          .execute();
        if (result.affected !== 1) {
          throw invalid();
        }
      },
    };
  }

  private usable(invite: Invite): boolean {
    return invite.usedAt === null && (invite.expiresAt === null || invite.expiresAt > this.clock.now());
  }
}
