import { Dialect } from '../dialect';
import { checkApiVersion } from './bytepower-auth.guard';
import { BytepowerAdminService } from './bytepower-admin.service';
import { bytepowerErrors } from './bytepower.error-map';
import { BytepowerModule } from './bytepower.module';
import { BytepowerCliModule } from './cli/bytepower-cli.module';

export const bytepowerDialect: Dialect = {
  name: 'bytepower',
  pathPrefixes: ['/bp/'],
  errors: bytepowerErrors,
  checkHeaders: checkApiVersion,
  registrationRoutes: ['/bp/server/user/signup'],
  secretQueryParameters: ['password', 'verify_code', 'session_token'],
  module: BytepowerModule,
  cliModule: BytepowerCliModule,
  demoSeeder: BytepowerAdminService,
};
