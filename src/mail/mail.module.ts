import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { MailService } from './mail.service';

/** Imported by the modules that send mail, so their imports show it. */
@Module({
  imports: [MetricsModule],
  providers: [MailService],
  exports: [MailService],
})
export class MailModule {}
