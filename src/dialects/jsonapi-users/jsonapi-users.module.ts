import { Module } from '@nestjs/common';
import { RateLimitModule } from '../../rate-limit/rate-limit.module';
import { TokensModule } from '../../tokens/tokens.module';
import { UsersModule } from '../../users/users.module';
import { InvitesModule } from './invites.module';
import { SessionTokensModule } from './session-tokens.module';
import { JsonApiUsersController } from './jsonapi-users.controller';
import { JsonApiBearerGuard } from './jsonapi-users.guard';
import { JsonApiUsersService } from './jsonapi-users.service';
import { SiteService } from './site.service';

/**
 * Discuz! Q's JSON:API register, login and token refresh (docs/dialects/jsonapi-users.md), plus the forum settings and
 * user resources its official web client reads around them.
 * Vendor reference: the Discuz! Q API docs (用户注册接口, 用户登录接口) and its official web client,
 * https://github.com/Comsenz/Discuz-Q-Web (store/modules/session.js, pages/user/register.vue).
 */
@Module({
  imports: [UsersModule, TokensModule, RateLimitModule, InvitesModule, SessionTokensModule],
  controllers: [JsonApiUsersController],
  providers: [JsonApiUsersService, SiteService, JsonApiBearerGuard],
})
export class JsonApiUsersModule {}
