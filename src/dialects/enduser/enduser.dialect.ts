import { Dialect } from '../dialect';
import { EnduserCliModule } from './cli/enduser-cli.module';
import { enduserErrors } from './enduser.error-map';
import { EnduserModule } from './enduser.module';
import { UserDomainAdminService } from './user-domain-admin.service';

export const enduserDialect: Dialect = {
  name: 'enduser',
  pathPrefixes: ['/v2/enduser/', '/v2/mail/'],
  errors: enduserErrors,
  // The vendor sends the password, its key and the email code in the query string.
  registrationRoutes: ['/v2/enduser/enduserapi/emailPwdRegister', '/v2/enduser/enduserapi/v2/emailPwdRegister'],
  secretQueryParameters: ['pwd', 'random', 'code'],
  module: EnduserModule,
  cliModule: EnduserCliModule,
  demoSeeder: UserDomainAdminService,
};
