import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../clock/clock';
import { OutboxEvent } from './outbox-event.entity';
import { OutboxStore } from './outbox.store';
import { UserEventsService } from './user-events.service';

/** The outbox: every module that changes users records its events through UserEventsService; webhook delivery reads OutboxStore. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEvent]), ClockModule],
  providers: [OutboxStore, UserEventsService],
  exports: [UserEventsService, OutboxStore],
})
export class EventsModule {}
