import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../../clock/clock';
import { SessionToken } from './session-token.entity';
import { SessionTokensService } from './session-tokens.service';
import { SessionTokensStore } from './session-tokens.store';

/** The site's session tokens (mobile and WeChat), for the SMS and WeChat routes and register and login. */
@Module({
  imports: [TypeOrmModule.forFeature([SessionToken]), ClockModule],
  providers: [SessionTokensStore, SessionTokensService],
  exports: [SessionTokensService],
})
export class SessionTokensModule {}
