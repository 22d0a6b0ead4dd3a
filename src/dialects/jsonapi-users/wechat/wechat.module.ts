import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../../../clock/clock';
import { SecretBoxService } from '../../../users/secret-box.service';
import { UsersModule } from '../../../users/users.module';
import { SessionTokensModule } from '../session-tokens.module';
import { UserWechat } from './user-wechat.entity';
import { UserWechatsStore } from './user-wechats.store';
import { DEFAULT_WECHAT_TIMEOUT_MS, WECHAT_TIMEOUT_MS, WechatApiClient } from './wechat-api.client';
import { WechatAppsService } from './wechat-apps';
import { WechatBindingsService } from './wechat-bindings.service';
import { WechatIdentitiesService } from './wechat-identities.service';

/**
 * WeChat identities of the site: the WeChat API client, the apps' sealed secrets, the bindings, and the
 * claims with which register and login bind a WeChat user. The sign-in routes themselves sit in the
 * dialect's module, beside the services they answer with.
 */
@Module({
  imports: [TypeOrmModule.forFeature([UserWechat]), ClockModule, SessionTokensModule, UsersModule],
  providers: [
    { provide: WECHAT_TIMEOUT_MS, useValue: DEFAULT_WECHAT_TIMEOUT_MS },
    WechatApiClient,
    SecretBoxService,
    WechatAppsService,
    UserWechatsStore,
    WechatBindingsService,
    WechatIdentitiesService,
  ],
  exports: [WechatApiClient, WechatAppsService, WechatBindingsService, WechatIdentitiesService],
})
export class WechatModule {}
