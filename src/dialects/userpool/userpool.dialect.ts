import { Dialect } from '../dialect';
import { UserpoolCliModule } from './cli/userpool-cli.module';
import { UserpoolAdminService } from './userpool-admin.service';
import { userpoolErrors } from './userpool.error-map';
import { UserpoolModule } from './userpool.module';
import { USERPOOL_TENANT_KIND } from './userpool.tenant-kind';

export const userpoolDialect: Dialect = {
  name: 'userpool',
  tenantKind: USERPOOL_TENANT_KIND,
  pathPrefixes: ['/api/v1/'],
  errors: userpoolErrors,
  secretQueryParameters: ['password'],
  module: UserpoolModule,
  cliModule: UserpoolCliModule,
  demoSeeder: UserpoolAdminService,
};
