import { Module } from '@nestjs/common';
import { UsersModule } from '../../../users/users.module';
import { UserDomainAdminService } from '../user-domain-admin.service';
import {
  UserDomainCommand,
  UserDomainCreateCommand,
  UserDomainDisableCommand,
  UserDomainEnableCommand,
  UserDomainSetCommand,
} from './user-domain.command';

@Module({
  imports: [UsersModule],
  providers: [
    UserDomainAdminService,
    UserDomainCommand,
    UserDomainCreateCommand,
    UserDomainDisableCommand,
    UserDomainEnableCommand,
    UserDomainSetCommand,
  ],
  exports: [UserDomainAdminService],
})
export class EnduserCliModule {}
