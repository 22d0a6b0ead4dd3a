import { Module } from '@nestjs/common';
import { SmsService } from './sms.service';

/** Imported by the modules that send SMS, so their imports show it. */
@Module({
  providers: [SmsService],
  exports: [SmsService],
})
export class SmsModule {}
