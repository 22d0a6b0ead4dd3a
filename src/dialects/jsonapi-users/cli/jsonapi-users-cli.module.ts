import { Module } from '@nestjs/common';
import { ClockModule } from '../../../clock/clock';
import { UsersModule } from '../../../users/users.module';
import { DiscuzqImportModule } from '../import/discuzq-import.module';
import { InvitesModule } from '../invites.module';
import { SiteService } from '../site.service';
import { SecretBoxService } from '../../../users/secret-box.service';
import { WechatAppsService } from '../wechat/wechat-apps';
import { BannedWordsAddCommand, BannedWordsCommand, BannedWordsListCommand, BannedWordsRemoveCommand } from './banned-words.command';
import { InviteCommand, InviteCreateCommand, InviteListCommand } from './invite.command';
import { SiteCommand, SiteSetCommand, SiteShowCommand } from './site.command';

/** The site's admin commands: settings (WeChat apps included), invites, banned words; and the Discuz! Q import source. */
@Module({
  imports: [UsersModule, ClockModule, InvitesModule, DiscuzqImportModule],
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
  exports: [SiteService, DiscuzqImportModule],
})
export class JsonApiUsersCliModule {}
