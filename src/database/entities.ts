import { RefreshToken } from '../tokens/entities/refresh-token.entity';
import { Session } from '../tokens/entities/session.entity';
import { Invite } from '../users/entities/invite.entity';
import { ServerKey } from '../users/entities/server-key.entity';
import { Tenant } from '../users/entities/tenant.entity';
import { User } from '../users/entities/user.entity';
import { VerificationCode } from '../users/entities/verification-code.entity';

/** Every entity, listed by hand so that a build never depends on file globs; parents before children. */
export const ENTITIES = [Tenant, User, VerificationCode, ServerKey, Invite, RefreshToken, Session];
