import { Dialect } from '../dialect';
import { JsonApiUsersCliModule } from './cli/jsonapi-users-cli.module';
import { jsonApiUsersErrors } from './jsonapi-users.error-map';
import { JsonApiUsersModule } from './jsonapi-users.module';
import { SiteService } from './site.service';
import { Invite } from './invite.entity';
import { JsonApiSessionTokens1764200000100 } from './migrations/1764200000100-jsonapi-session-tokens';
import { SessionToken } from './session-token.entity';
import { JSONAPI_USERS_TENANT_KIND } from './jsonapi-users.tenant-kind';

export const jsonApiUsersDialect: Dialect = {
  name: 'jsonapi-users',
  tenantKind: JSONAPI_USERS_TENANT_KIND,
  entities: [Invite, SessionToken],
  migrations: [JsonApiSessionTokens1764200000100],
  // Every Discuz! Q route is under /api/, so an unknown one answers a JSON:API error document; the
  // filter tries longer prefixes first, which keeps userpool's /api/v1/ its own.
  pathPrefixes: ['/api/'],
  errors: jsonApiUsersErrors,
  // Sent in bodies; listed in case a client puts them in a query string, which logs would otherwise keep.
  secretQueryParameters: ['password', 'access_token', 'refresh_token', 'token', 'mobileToken', 'code'],
  module: JsonApiUsersModule,
  cliModule: JsonApiUsersCliModule,
  demoSeeder: SiteService,
};
