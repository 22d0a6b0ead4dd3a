import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../../clock/clock';
import { EventsModule } from '../../events/events.module';
import { User } from '../entities/user.entity';
import { UsersStore } from '../users.store';
import { ImportStore } from './import.store';
import { JsonlImportSource } from './jsonl-import.source';
import { UsersImportService } from './users-import.service';

/** The import engine of `users import` and the core's own source, `jsonl`; dialects bring theirs (docs/architecture.md). */
@Module({
  imports: [TypeOrmModule.forFeature([User]), ClockModule, EventsModule],
  providers: [ImportStore, UsersStore, UsersImportService, JsonlImportSource],
  exports: [UsersImportService, JsonlImportSource],
})
export class UsersImportModule {}
