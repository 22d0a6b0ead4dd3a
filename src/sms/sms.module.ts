import { Module } from '@nestjs/common';
import { AppConfig, SmsConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsModule } from '../metrics/metrics.module';
import { HttpSmsTransport } from './http-sms.transport';
import { OutboxSmsTransport } from './outbox-sms.transport';
import { SMS_TRANSPORT, SmsTransport } from './sms-transport';
import { SmsService } from './sms.service';

/** The transport SMS_PROVIDER names, made once at start. */
export async function smsTransportFor(settings: SmsConfig): Promise<SmsTransport> {
  switch (settings.provider) {
    case 'outbox':
      return new OutboxSmsTransport(settings.outboxDir);
    case 'http':
      return new HttpSmsTransport(settings);
    case 'tencentcloud': {
      // Tencent's SDK takes a fifth of a second to load: only a service that sends through it pays for that.
      const { TencentcloudSmsTransport } = await import('./tencentcloud-sms.transport');
      return new TencentcloudSmsTransport(settings);
    }
  }
}

/** Imported by the modules that send SMS, so their imports show it. */
@Module({
  imports: [MetricsModule],
  providers: [SmsService, { provide: SMS_TRANSPORT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => smsTransportFor(config.sms) }],
  exports: [SmsService],
})
export class SmsModule {}
