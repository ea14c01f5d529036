import { Global, Module } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Environment, loadEnvironment } from './environment';

/** Typed, validated configuration. Resolved values (database URL, token secret) are fixed at boot. */
export class AppConfig {
  readonly databaseUrl: string;
  readonly jwtSecret: string;

  constructor(readonly env: Environment) {
    if (!env.DATABASE_URL) {
      throw new Error('DATABASE_URL must be resolved (or an embedded database started) before the app boots');
    }
    this.databaseUrl = env.DATABASE_URL;
    // Outside production a per-process secret is fine: tokens then last until the next restart.
    this.jwtSecret = env.JWT_SECRET ?? randomBytes(48).toString('base64');
  }
}

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => new AppConfig(loadEnvironment(process.env)) }],
  exports: [AppConfig],
})
export class ConfigModule {}
