import { Module } from '@nestjs/common';
import { UsersModule } from '../../../users/users.module';
import { EnduserKeysModule } from '../enduser-keys.module';
import { EnduserCommand, EnduserKeysCommand, EnduserKeysRotateCommand } from './enduser-keys.command';
import { UserDomainAdminService } from '../user-domain-admin.service';
import {
  UserDomainCommand,
  UserDomainCreateCommand,
  UserDomainDisableCommand,
  UserDomainEnableCommand,
  UserDomainSecretCommand,
  UserDomainSetCommand,
} from './user-domain.command';

@Module({
  imports: [UsersModule, EnduserKeysModule],
  providers: [
    UserDomainAdminService,
    UserDomainCommand,
    UserDomainCreateCommand,
    UserDomainDisableCommand,
    UserDomainEnableCommand,
    UserDomainSetCommand,
    UserDomainSecretCommand,
    EnduserCommand,
    EnduserKeysCommand,
    EnduserKeysRotateCommand,
  ],
  exports: [UserDomainAdminService],
})
export class EnduserCliModule {}
