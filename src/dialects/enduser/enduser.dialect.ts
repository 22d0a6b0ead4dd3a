import { Dialect } from '../dialect';
import { EnduserCliModule } from './cli/enduser-cli.module';
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
  // The vendor sends the password, its key and the email code in the query string.
  secretQueryParameters: ['pwd', 'random', 'code'],
  config: enduserConfig,
  module: EnduserModule,
  cliModule: EnduserCliModule,
  demoSeeder: UserDomainAdminService,
};
