import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@config/config.module';
import { AuthController, UsersController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginLimiter } from './login-limiter';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { REDIS } from '@app/queue/redis.module';
import type Redis from 'ioredis';
import { AccessModule } from '@app/access/route-access';
import { ScopeRepository } from './scope.repository';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [
    AccessModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      // A KeyObject, not the string: given a string, jsonwebtoken first tries it as a public key on every
      // verification (createPublicKey throws, then it falls back), which cost 12-15 % of the API's CPU.
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    // Applied to the login route only (ThrottlerGuard there): slows password guessing per client address.
    // Counted in Redis, so a restart does not reset it; the per-account limit is LoginLimiter.
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [{ ttl: 60_000, limit: config.env.LOGIN_RATE_LIMIT_PER_MINUTE }],
        storage: new RedisThrottlerStorage(redis, config.env.REDIS_PREFIX),
      }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    AuthService,
    UsersService,
    UsersRepository,
    ScopeRepository,
    LoginLimiter,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [ScopeRepository, AuthService, UsersService],
})
export class AuthModule {}
