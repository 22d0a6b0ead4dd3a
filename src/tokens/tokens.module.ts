import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
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
 * opaque sessions, each checked against its user's token epoch. A dialect that verifies tokens signed
 * by others registers its own JwtModule.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([RefreshToken, Session]),
    ClockModule,
    UsersModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.security.jwtSecret,
        signOptions: { algorithm: 'HS256', issuer: 'unireg' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'unireg' },
      }),
    }),
  ],
  providers: [TokensService, RefreshTokensStore, RefreshTokensService, SessionsStore, SessionsService],
  exports: [TokensService, RefreshTokensService, SessionsService],
})
export class TokensModule {}
