import { Dialect } from '../dialect';
import { UserpoolCliModule } from './cli/userpool-cli.module';
import { UserpoolAdminService } from './userpool-admin.service';
import { userpoolErrors } from './userpool.error-map';
import { UserpoolModule } from './userpool.module';

export const userpoolDialect: Dialect = {
  name: 'userpool',
  pathPrefixes: ['/api/v1/'],
  errors: userpoolErrors,
  registrationRoutes: ['/api/v1/register/email', '/api/v1/register/username'],
  secretQueryParameters: ['password'],
  module: UserpoolModule,
  cliModule: UserpoolCliModule,
  demoSeeder: UserpoolAdminService,
};
