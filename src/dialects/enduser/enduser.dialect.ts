import { Dialect } from '../dialect';
import { EnduserCliModule } from './cli/enduser-cli.module';
import { DomainSecret } from './domain-secret.entity';
import { EnduserSignIn1764300000100 } from './migrations/1764300000100-enduser-sign-in';
import { PendingDeletion } from './pending-deletion.entity';
import { SigningKey } from './signing-key.entity';
import { enduserConfig } from './enduser.config';
import { enduserErrors } from './enduser.error-map';
import { EnduserModule } from './enduser.module';
import { UserDomainAdminService } from './user-domain-admin.service';
import { ENDUSER_TENANT_KIND } from './enduser.tenant-kind';

export const enduserDialect: Dialect = {
  name: 'enduser',
  tenantKind: ENDUSER_TENANT_KIND,
  pathPrefixes: ['/v2/enduser/', '/v2/mail/'],
  errors: enduserErrors,
  // The vendor sends passwords, their key, email codes and refresh tokens in the query string; a login
  // `signature` without `random` is sha256(email + pwd + secret), which a log reader could brute-force offline.
  secretQueryParameters: ['pwd', 'random', 'code', 'oldPwd', 'newPwd', 'refreshToken', 'signature'],
  entities: [DomainSecret, SigningKey, PendingDeletion],
  migrations: [EnduserSignIn1764300000100],
  config: enduserConfig,
  module: EnduserModule,
  cliModule: EnduserCliModule,
  demoSeeder: UserDomainAdminService,
};
