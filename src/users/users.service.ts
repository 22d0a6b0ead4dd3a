import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { uniqueViolationMessage } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner.service';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { Tenant } from './entities/tenant.entity';
import { USER_EMAIL_INDEX, USER_USERNAME_INDEX, User, UserStatus } from './entities/user.entity';
import { CodePurpose } from './entities/verification-code.entity';
import { hasForbiddenUsernameCharacters, isValidEmail, normalizeEmail, normalizeUsername } from './normalization';
import { PasswordHasher } from './password-hasher.service';
import { VerificationCodesService } from './verification-codes.service';

export interface NewUser {
  tenant: Tenant;
  email?: string;
  username?: string;
  password: string;
  registerSource: string;
  status?: UserStatus;
  phone?: string;
  profile?: Record<string, unknown>;
  /** A code sent to `email` that must be spent by this registration, atomically with it. */
  verification?: { purpose: CodePurpose; code: string; field?: string };
  /** Request field names for errors, where a dialect spells them differently. */
  fields?: { email?: string; username?: string; password?: string };
}

/** The only writer of users: normalisation, hashing and the duplicate rule live here and nowhere else. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly transactions: TransactionRunner,
    private readonly hasher: PasswordHasher,
    private readonly codes: VerificationCodesService,
  ) {}

  /**
   * Fails fast with EMAIL_TAKEN / USERNAME_TAKEN before the costly hash. Only an optimisation and a way
   * to order checks: the unique indexes decide when two registrations race.
   */
  async assertAvailable(input: Pick<NewUser, 'tenant' | 'email' | 'username' | 'fields'>): Promise<void> {
    const { emailNormalized, usernameNormalized } = this.normalize(input);
    if (emailNormalized && (await this.users.existsBy({ tenantId: input.tenant.id, emailNormalized }))) {
      throw new DomainError(DomainErrorCode.EMAIL_TAKEN, { field: input.fields?.email ?? 'email' });
    }
    if (usernameNormalized && (await this.users.existsBy({ tenantId: input.tenant.id, usernameNormalized }))) {
      throw new DomainError(DomainErrorCode.USERNAME_TAKEN, { field: input.fields?.username ?? 'username' });
    }
  }

  async register(input: NewUser): Promise<User> {
    const normalized = this.normalize(input);
    await this.assertAvailable(input);
    const codeId = input.verification ? await this.checkCode(input, input.verification) : undefined;
    const passwordHash = await this.hasher.hash(input.password, input.fields?.password ?? 'password');
    const user = this.users.create({
      tenantId: input.tenant.id,
      email: input.email ?? null,
      username: input.username ?? null,
      ...normalized,
      passwordHash,
      status: input.status ?? UserStatus.Active,
      emailVerified: codeId !== undefined,
      phone: input.phone ?? null,
      registerSource: input.registerSource,
      profile: input.profile ?? {},
      loginsCount: 0,
    });
    try {
      // The insert comes first so that a racing duplicate fails on the unique index (EMAIL_TAKEN)
      // rather than on the already-spent code.
      return await this.transactions.run(async (manager) => {
        const saved = await manager.save(user);
        if (codeId !== undefined) {
          await this.codes.consume(manager, codeId, input.verification?.field);
        }
        delete saved.passwordHash;
        return saved;
      });
    } catch (error) {
      throw this.duplicateError(error, input) ?? error;
    }
  }

  /**
   * A racing registration of the same email may have spent the code between our duplicate check and
   * this one; the client must then hear "taken", not "wrong code", so availability is asked again.
   */
  private async checkCode(input: NewUser, verification: NonNullable<NewUser['verification']>): Promise<number> {
    try {
      return await this.codes.check(
        { tenantId: input.tenant.id, email: input.email ?? '', purpose: verification.purpose },
        verification.code,
        verification.field,
      );
    } catch (error) {
      await this.assertAvailable(input);
      throw error;
    }
  }

  /** Counts a login and returns the new total. */
  async recordLogin(id: number): Promise<number> {
    await this.users.increment({ id }, 'loginsCount', 1);
    const user = await this.users.findOneByOrFail({ id });
    return user.loginsCount;
  }

  list(tenantId?: number): Promise<User[]> {
    return this.users.find({
      where: tenantId === undefined ? {} : { tenantId },
      relations: { tenant: true },
      order: { id: 'ASC' },
    });
  }

  async setStatus(id: number, status: UserStatus): Promise<User | null> {
    const user = await this.users.findOneBy({ id });
    if (!user) {
      return null;
    }
    user.status = status;
    return this.users.save(user);
  }

  private normalize(input: Pick<NewUser, 'email' | 'username' | 'fields'>) {
    if (input.email !== undefined && !isValidEmail(input.email)) {
      throw new DomainError(DomainErrorCode.EMAIL_INVALID, { field: input.fields?.email ?? 'email' });
    }
    if (input.username !== undefined && hasForbiddenUsernameCharacters(input.username)) {
      throw new DomainError(DomainErrorCode.USERNAME_INVALID, { field: input.fields?.username ?? 'username' });
    }
    return {
      emailNormalized: input.email === undefined ? null : normalizeEmail(input.email),
      usernameNormalized: input.username === undefined ? null : normalizeUsername(input.username),
    };
  }

  /** The one place a unique-index violation becomes the domain's duplicate error. */
  private duplicateError(error: unknown, input: NewUser): DomainError | undefined {
    const message = uniqueViolationMessage(error);
    if (!message) {
      return undefined;
    }
    if (message.includes(USER_USERNAME_INDEX) || message.includes('username_normalized')) {
      return new DomainError(DomainErrorCode.USERNAME_TAKEN, { field: input.fields?.username ?? 'username' });
    }
    if (message.includes(USER_EMAIL_INDEX) || message.includes('email_normalized')) {
      return new DomainError(DomainErrorCode.EMAIL_TAKEN, { field: input.fields?.email ?? 'email' });
    }
    return undefined;
  }
}
