import { Module } from '@nestjs/common';
import { MailService } from './mail.service';

/** Imported by the modules that send mail, so their imports show it. */
@Module({
  providers: [MailService],
  exports: [MailService],
})
export class MailModule {}
