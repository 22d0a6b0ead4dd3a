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
/**
 * An argon2 PHC string as every common encoder writes it: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, the version
 * absent in hashes from before 1.3 (so 16), salt and hash in unpadded base64 of 8 to 48 and 16 to 64 bytes.
 */
const ARGON2_HASH =
  /^\$argon2(?:id|i|d)\$(?:v=(?:16|19)\$)?m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,10})\$([A-Za-z0-9+/]{11,64})\$([A-Za-z0-9+/]{22,86})$/;

/**
 * The costs a stored hash may ask for. One sign-in runs the hash once with the cost written in it, so a hash
 * past these would let anyone who knows the account name pin the server's CPU and memory. They hold
 * OWASP's argon2id and bcrypt settings and the defaults of the common libraries and identity servers
 * (docs/migrating.md#passwords); BCRYPT_COST itself stops at 15.
 */
export const HASH_LIMITS = {
  bcryptCost: { min: 4, max: 16 },
  /** KiB; the algorithm needs at least 8 per lane. */
  argon2Memory: { max: 262_144 },
  argon2Passes: { max: 16 },
  argon2Lanes: { max: 255 },
  /** Memory times passes (KiB): 256 MiB over 4 passes, or 64 MiB over 16, about a second of one core. */
  argon2Work: { max: 1_048_576 },
} as const;

/** Which hashes `verify` reads: what an import may bring (src/users/import). */
export function isSupportedHash(hash: string): boolean {
  return bcryptCost(hash) !== undefined || isSaneArgon2(hash);
}

/** The cost of a bcrypt hash within HASH_LIMITS, or undefined for any other string. */
function bcryptCost(hash: string): number | undefined {
  const cost = Number(BCRYPT_HASH.exec(hash)?.[1]);
  return cost >= HASH_LIMITS.bcryptCost.min && cost <= HASH_LIMITS.bcryptCost.max ? cost : undefined;
}

function isSaneArgon2(hash: string): boolean {
  const match = ARGON2_HASH.exec(hash);
  if (!match) {
    return false;
  }
  const [memory, passes, lanes] = [match[1], match[2], match[3]].map(Number);
  // A base64 text of 4n+1 characters encodes no whole number of bytes.
  const whole = match[4].length % 4 !== 1 && match[5].length % 4 !== 1;
  return (
    whole &&
    lanes >= 1 &&
    lanes <= HASH_LIMITS.argon2Lanes.max &&
    passes >= 1 &&
    passes <= HASH_LIMITS.argon2Passes.max &&
    memory >= 8 * lanes &&
    memory <= HASH_LIMITS.argon2Memory.max &&
    memory * passes <= HASH_LIMITS.argon2Work.max
  );
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
    return !hash.startsWith('$2b$') || bcryptCost(hash) !== this.config.security.bcryptCost;
  }

  /** A stored hash that is malformed or past HASH_LIMITS (stored before they held) matches nothing, and is never run. */
  private async compare(password: string, hash: string): Promise<boolean> {
    if (isSaneArgon2(hash)) {
      // The library may still refuse what the pattern lets through; such a hash matches nothing.
      return verifyArgon2(hash, password).catch(() => false);
    }
    if (bcryptCost(hash) === undefined || Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES) {
      return false;
    }
    // `$2y$` is PHP's name for the same algorithm as `$2b$`; the native binding knows only `$2a$` and `$2b$`.
    return bcrypt.compare(password, hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash);
  }
}
