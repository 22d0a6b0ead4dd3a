import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../../clock/clock';
import { Invite } from './invite.entity';
import { InvitesService } from './invites.service';
import { InvitesStore } from './invites.store';

/** The site's invite codes, for registration and the CLI alike. */
@Module({
  imports: [TypeOrmModule.forFeature([Invite]), ClockModule],
  providers: [InvitesStore, InvitesService],
  exports: [InvitesService],
})
export class InvitesModule {}
