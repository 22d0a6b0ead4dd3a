import { Module } from '@nestjs/common';
import { UsersModule } from '../../users/users.module';
import { EnduserController } from './enduser.controller';
import { EnduserService } from './enduser.service';

/**
 * Quectel IoT enduser OpenAPI email registration (seed 001, SPEC §2.2).
 * Vendor reference: https://iot-api.quectelcn.com (enduser OpenAPI, "Email Password Registration").
 */
@Module({
  imports: [UsersModule],
  controllers: [EnduserController],
  providers: [EnduserService],
})
export class EnduserModule {}
