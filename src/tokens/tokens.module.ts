import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../clock/clock';
import { UsersModule } from '../users/users.module';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { RefreshTokensService } from './refresh-tokens.service';
import { RefreshTokensStore } from './refresh-tokens.store';
import { SessionsService } from './sessions.service';
import { SessionsStore } from './sessions.store';
import { TokensService } from './tokens.service';

/**
 * What unireg issues to users: JWT access tokens signed with JWT_SECRET, refresh-token families and
 * opaque sessions, each checked against its user's token epoch. A dialect that signs or verifies tokens
 * under keys of its own registers its own JwtModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([RefreshToken, Session]), ClockModule, UsersModule],
  providers: [TokensService, RefreshTokensStore, RefreshTokensService, SessionsStore, SessionsService],
  exports: [TokensService, RefreshTokensService, SessionsService],
})
export class TokensModule {}
