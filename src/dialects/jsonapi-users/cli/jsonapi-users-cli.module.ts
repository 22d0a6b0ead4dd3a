import { Module } from '@nestjs/common';
import { ClockModule } from '../../../clock/clock';
import { UsersModule } from '../../../users/users.module';
import { InvitesModule } from '../invites.module';
import { SiteService } from '../site.service';
import { SecretBoxService } from '../../../users/secret-box.service';
import { WechatAppsService } from '../wechat/wechat-apps';
import { BannedWordsAddCommand, BannedWordsCommand, BannedWordsListCommand, BannedWordsRemoveCommand } from './banned-words.command';
import { InviteCommand, InviteCreateCommand, InviteListCommand } from './invite.command';
import { SiteCommand, SiteSetCommand, SiteShowCommand } from './site.command';

/** The site's admin commands: settings (WeChat apps included), invites, banned words. */
@Module({
  imports: [UsersModule, ClockModule, InvitesModule],
  providers: [
    SiteService,
    SecretBoxService,
    WechatAppsService,
    SiteCommand,
    SiteSetCommand,
    SiteShowCommand,
    InviteCommand,
    InviteCreateCommand,
    InviteListCommand,
    BannedWordsCommand,
    BannedWordsAddCommand,
    BannedWordsRemoveCommand,
    BannedWordsListCommand,
  ],
  exports: [SiteService],
})
export class JsonApiUsersCliModule {}
