import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../../../clock/clock';
import { UserWechat } from '../wechat/user-wechat.entity';
import { UserWechatsStore } from '../wechat/user-wechats.store';
import { DiscuzqImportSource } from './discuzq-import.source';

/** `users import --from discuzq`: provided through the dialect's CLI module, named in its registry entry. */
@Module({
  imports: [TypeOrmModule.forFeature([UserWechat]), ClockModule],
  providers: [UserWechatsStore, DiscuzqImportSource],
  exports: [DiscuzqImportSource],
})
export class DiscuzqImportModule {}
