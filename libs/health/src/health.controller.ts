import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type Redis from 'ioredis';
import { Public } from '@app/access/access.decorators';
import { withTimeout } from '@app/http/timeout';
import { REDIS } from '@app/queue/redis.module';

const TIMEOUT_MS = 1500;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Readiness: 200 once PostgreSQL and Redis answer, 503 otherwise. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: TIMEOUT_MS }),
      () => this.redisCheck(),
    ]);
  }

  /** Liveness: the process answers HTTP. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  private async redisCheck() {
    const indicator = this.indicators.check('redis');
    try {
      await withTimeout(this.redis.ping(), TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
