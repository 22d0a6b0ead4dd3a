import { Module } from '@nestjs/common';
import { UsersModule } from '../../../users/users.module';
import { UserpoolAdminService } from '../userpool-admin.service';
import { UserpoolCommand, UserpoolCreateCommand, UserpoolSetCommand } from './userpool.command';

@Module({
  imports: [UsersModule],
  providers: [UserpoolAdminService, UserpoolCommand, UserpoolCreateCommand, UserpoolSetCommand],
  exports: [UserpoolAdminService],
})
export class UserpoolCliModule {}
