import { Module } from '@nestjs/common';
import { UsersModule } from '../../../users/users.module';
import { BytepowerAdminService } from '../bytepower-admin.service';
import { BYTEPOWER_COMMANDS } from './bytepower.command';

@Module({
  imports: [UsersModule],
  providers: [BytepowerAdminService, ...BYTEPOWER_COMMANDS],
  exports: [BytepowerAdminService],
})
export class BytepowerCliModule {}
