import { Inject, Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { MetricsService } from '../metrics/metrics.service';

/** bcrypt reads only the first 72 bytes; a longer password is refused rather than silently cut. */
export const BCRYPT_MAX_BYTES = 72;

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

  private compare(password: string, hash: string): Promise<boolean> {
    return Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES ? Promise.resolve(false) : bcrypt.compare(password, hash);
  }
}
