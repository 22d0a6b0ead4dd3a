import { Dialect } from '../dialect';
import { JsonApiUsersCliModule } from './cli/jsonapi-users-cli.module';
import { DiscuzqImportSource } from './import/discuzq-import.source';
import { jsonApiUsersErrors } from './jsonapi-users.error-map';
import { JsonApiUsersModule } from './jsonapi-users.module';
import { SiteService } from './site.service';
import { Invite } from './invite.entity';
import { JsonApiSessionTokens1764200000100 } from './migrations/1764200000100-jsonapi-session-tokens';
import { SessionToken } from './session-token.entity';
import { JsonApiUserWechats1764200000300 } from './migrations/1764200000300-jsonapi-user-wechats';
import { UserWechat } from './wechat/user-wechat.entity';
import { wechatConfig } from './wechat/wechat.config';
import { JSONAPI_USERS_TENANT_KIND } from './jsonapi-users.tenant-kind';

export const jsonApiUsersDialect: Dialect = {
  name: 'jsonapi-users',
  tenantKind: JSONAPI_USERS_TENANT_KIND,
  entities: [Invite, SessionToken, UserWechat],
  migrations: [JsonApiSessionTokens1764200000100, JsonApiUserWechats1764200000300],
  config: wechatConfig,
  // Every Discuz! Q route is under /api/, so an unknown one answers a JSON:API error document; the
  // filter tries longer prefixes first, which keeps userpool's /api/v1/ its own.
  pathPrefixes: ['/api/'],
  errors: jsonApiUsersErrors,
  // Most are sent in bodies and listed in case a client puts them in a query string, which logs would otherwise
  // keep; WeChat's sign-in brings `code` and `state` back in the query, and `session_token` and `sessionId` bind a
  // login to whoever holds them, as does the PC QR login's token in its poll's path.
  secretQueryParameters: [
    'password',
    'access_token',
    'refresh_token',
    'token',
    'mobileToken',
    'code',
    'state',
    'session_token',
    'sessionId',
    'js_code',
  ],
  secretPathPrefixes: ['/api/oauth/wechat/pc/login/'],
  module: JsonApiUsersModule,
  cliModule: JsonApiUsersCliModule,
  demoSeeder: SiteService,
  importSources: [DiscuzqImportSource],
};
