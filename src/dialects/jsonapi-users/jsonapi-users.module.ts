import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ClockModule } from '../../clock/clock';
import { SmsModule } from '../../sms/sms.module';
import { RateLimitModule } from '../../rate-limit/rate-limit.module';
import { TokensModule } from '../../tokens/tokens.module';
import { UsersModule } from '../../users/users.module';
import { InvitesModule } from './invites.module';
import { SessionTokensModule } from './session-tokens.module';
import { JsonApiUsersController } from './jsonapi-users.controller';
import { JsonApiBearerGuard } from './jsonapi-users.guard';
import { JsonApiUsersService } from './jsonapi-users.service';
import { SiteService } from './site.service';
import { PasswordChangeService } from './password-change.service';
import { patchOverride } from './phone/method-override.middleware';
import { MobileTokensService } from './phone/mobile-tokens.service';
import { JsonApiSmsController } from './phone/sms.controller';
import { JsonApiSmsService } from './phone/sms-codes.service';
import { WechatSignInService } from './wechat/wechat-sign-in.service';
import { WechatController } from './wechat/wechat.controller';
import { WechatModule } from './wechat/wechat.module';

/**
 * Discuz! Q's JSON:API register, login and token refresh (docs/dialects/jsonapi-users.md), plus the forum settings and
 * user resources its official web client reads around them.
 * Vendor reference: the Discuz! Q API docs (用户注册接口, 用户登录接口) and its official web client,
 * https://github.com/Comsenz/Discuz-Q-Web (store/modules/session.js, pages/user/register.vue).
 */
@Module({
  imports: [UsersModule, TokensModule, RateLimitModule, InvitesModule, SessionTokensModule, WechatModule, SmsModule, ClockModule],
  controllers: [JsonApiUsersController, WechatController, JsonApiSmsController],
  providers: [
    JsonApiUsersService,
    SiteService,
    JsonApiBearerGuard,
    WechatSignInService,
    MobileTokensService,
    JsonApiSmsService,
    PasswordChangeService,
  ],
})
export class JsonApiUsersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(patchOverride).forRoutes({ path: 'api/users/:id', method: RequestMethod.POST });
  }
}
