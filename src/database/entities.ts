import { Tenant } from '../users/entities/tenant.entity';
import { User } from '../users/entities/user.entity';
import { VerificationCode } from '../users/entities/verification-code.entity';

/** Every entity, listed by hand so that a build never depends on file globs; parents before children. */
export const ENTITIES = [Tenant, User, VerificationCode];
