import { Dialect } from '../dialect';
import { checkApiVersion } from './bytepower-auth.guard';
import { BytepowerAdminService } from './bytepower-admin.service';
import { bytepowerErrors } from './bytepower.error-map';
import { BytepowerModule } from './bytepower.module';
import { BytepowerCliModule } from './cli/bytepower-cli.module';
import { BYTEPOWER_TENANT_KIND } from './bytepower.tenant-kind';
import { DeviceBinding } from './device-binding.entity';
import { BytepowerDeviceBindings1764200000400 } from './migrations/1764200000400-bytepower-device-bindings';
import { ServerKey } from './server-key.entity';

export const bytepowerDialect: Dialect = {
  name: 'bytepower',
  tenantKind: BYTEPOWER_TENANT_KIND,
  entities: [ServerKey, DeviceBinding],
  migrations: [BytepowerDeviceBindings1764200000400],
  pathPrefixes: ['/bp/'],
  errors: bytepowerErrors,
  checkHeaders: checkApiVersion,
  secretQueryParameters: ['password', 'verify_code', 'session_token'],
  module: BytepowerModule,
  cliModule: BytepowerCliModule,
  demoSeeder: BytepowerAdminService,
};
