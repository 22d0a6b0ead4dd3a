import { Module } from '@nestjs/common';
import { UsersModule } from '../../../users/users.module';
import { BytepowerAdminService } from '../bytepower-admin.service';
import { ServerKeysModule } from '../server-keys.module';
import { BYTEPOWER_COMMANDS } from './bytepower.command';

@Module({
  imports: [UsersModule, ServerKeysModule],
  providers: [BytepowerAdminService, ...BYTEPOWER_COMMANDS],
  exports: [BytepowerAdminService],
})
export class BytepowerCliModule {}
