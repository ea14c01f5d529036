import { Global, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigModule } from '@config/config.module';
import { dataSourceOptions } from './data-source.options';
import { runMigrationsLocked } from './migrator';
import { syncMunicipalities } from './reference-data';

/** Brings the schema up to date and the reference data in line before anything is served. */
@Injectable()
export class SchemaBootstrap implements OnModuleInit {
  private readonly logger = new Logger(SchemaBootstrap.name);
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.env.RUN_MIGRATIONS) return;
    const applied = await runMigrationsLocked(this.dataSource);
    if (applied.length) this.logger.log(`Applied migrations: ${applied.join(', ')}`);
    await syncMunicipalities(this.dataSource.manager);
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule],
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl),
        autoLoadEntities: true,
      }),
    }),
  ],
  providers: [SchemaBootstrap],
})
export class DatabaseModule {}
