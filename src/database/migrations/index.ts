import { InitialSchema1763700000000 } from './1763700000000-initial-schema';
import { DialectStores1763800000000 } from './1763800000000-dialect-stores';
import { EpochMillisTimes1763900000000 } from './1763900000000-epoch-millis-times';
import { TokenEpochs1764000000000 } from './1764000000000-token-epochs';
import { IdentitySkeletons1764100000000 } from './1764100000000-identity-skeletons';
import { PhonesAndPasswordlessUsers1764200000000 } from './1764200000000-phones-and-passwordless-users';
import { LastLogin1764300000000 } from './1764300000000-last-login';
import { OutboxEvents1764400000000 } from './1764400000000-outbox-events';
import { UserExternalIds1764400000100 } from './1764400000100-user-external-ids';
import { Webhooks1764400000200 } from './1764400000200-webhooks';

/**
 * The core's migrations, applied in order; a new one is one file plus one line here. Tables only a
 * dialect uses come through that dialect's registry entry (the two first files predate that rule).
 */
export const MIGRATIONS = [
  InitialSchema1763700000000,
  DialectStores1763800000000,
  EpochMillisTimes1763900000000,
  TokenEpochs1764000000000,
  IdentitySkeletons1764100000000,
  PhonesAndPasswordlessUsers1764200000000,
  LastLogin1764300000000,
  OutboxEvents1764400000000,
  UserExternalIds1764400000100,
  Webhooks1764400000200,
];
