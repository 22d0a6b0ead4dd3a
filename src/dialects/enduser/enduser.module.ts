import { Module } from '@nestjs/common';
import { MailModule } from '../../mail/mail.module';
import { UsersModule } from '../../users/users.module';
import { DataCenter } from './data-center';
import { ENDUSER_CONFIG, EnduserConfig } from './enduser.config';
import { EnduserController } from './enduser.controller';
import { EnduserService } from './enduser.service';

/**
 * Quectel IoT enduser OpenAPI email registration (docs/dialects/enduser.md).
 * Vendor reference: https://iot-api.quectelcn.com (enduser OpenAPI, "Email Password Registration").
 */
@Module({
  imports: [UsersModule, MailModule],
  controllers: [EnduserController],
  providers: [
    EnduserService,
    { provide: DataCenter, inject: [ENDUSER_CONFIG], useFactory: (config: EnduserConfig) => DataCenter.fromConfig(config) },
  ],
})
export class EnduserModule {}
