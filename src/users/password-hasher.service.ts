import { Inject, Injectable } from '@nestjs/common';
import { verify as verifyArgon2 } from '@node-rs/argon2';
import * as bcrypt from 'bcrypt';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { MetricsService } from '../metrics/metrics.service';

/** bcrypt reads only the first 72 bytes; a longer password is refused rather than silently cut. */
export const BCRYPT_MAX_BYTES = 72;

/** bcrypt in any of its prefixes: `$2a$`, `$2b$`, and PHP's `$2y$` (Laravel, so Discuz! Q), then the cost and 53 characters. */
const BCRYPT_HASH = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;
/** An argon2 PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), as other systems export them. */
const ARGON2_HASH = /^\$argon2(id|i|d)\$/;

/** Which hashes `verify` reads: what an import may bring (src/users/import). */
export function isSupportedHash(hash: string): boolean {
  return BCRYPT_HASH.test(hash) || ARGON2_HASH.test(hash);
}

@Injectable()
export class PasswordHasherService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** Hashes the NFC form, so that a password typed composed (é) or decomposed (e + ◌́) is one password. */
  async hash(password: string, field = 'password'): Promise<string> {
    // A lone surrogate would reach bcrypt as U+FFFD, so different passwords would share one hash.
    if (!password.isWellFormed()) {
      throw new DomainError(DomainErrorCode.PASSWORD_INVALID, { field });
    }
    const composed = password.normalize('NFC');
    if (Buffer.byteLength(composed, 'utf8') > BCRYPT_MAX_BYTES) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_LONG, { field, params: { max: BCRYPT_MAX_BYTES } });
    }
    return this.metrics.timeHash(() => bcrypt.hash(composed, this.config.security.bcryptCost));
  }

  /**
   * Tries the NFC form, then the text as sent (a hash imported from elsewhere may be of either). Both
   * tries depend only on the password, never on the hash, so a dummy hash costs what a real one does.
   */
  async verify(password: string, hash: string): Promise<boolean> {
    const composed = password.normalize('NFC');
    return (await this.compare(composed, hash)) || (composed !== password && (await this.compare(password, hash)));
  }

  /**
   * Whether a hash that just matched should be replaced by one of `hash`: any other algorithm, prefix or
   * cost (an imported hash, or one made before BCRYPT_COST changed).
   */
  needsUpgrade(hash: string): boolean {
    return !hash.startsWith('$2b$') || Number(BCRYPT_HASH.exec(hash)?.[1]) !== this.config.security.bcryptCost;
  }

  private async compare(password: string, hash: string): Promise<boolean> {
    if (ARGON2_HASH.test(hash)) {
      // The library throws on a malformed PHC string; such a hash matches nothing.
      return verifyArgon2(hash, password).catch(() => false);
    }
    if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES) {
      return false;
    }
    // `$2y$` is PHP's name for the same algorithm as `$2b$`; the native binding knows only `$2a$` and `$2b$`.
    return bcrypt.compare(password, hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash);
  }
}
