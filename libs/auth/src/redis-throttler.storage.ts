import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { withTimeout } from '@app/http/timeout';

const REDIS_TIMEOUT_MS = 1000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// One hit in a fixed window; over the limit, a block key of its own. Returns ms left on both.
const HIT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
local block = redis.call('PTTL', KEYS[2])
if block < 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]); block = tonumber(ARGV[3])
end
if block < 0 then block = 0 end
return {hits, ttl, block}`;

/**
 * @nestjs/throttler's counters in Redis (under the installation's prefix) instead of process memory,
 * so the per-address login limit holds across restarts and replicas. While Redis is away the request
 * is let through (logged): the per-account limit and argon2 still slow guessing.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}:throttle:${throttlerName}:${key}`;
    try {
      const [hits, ttlMs, blockMs] = (await withTimeout(
        this.redis.eval(HIT, 2, base, `${base}:blocked`, ttl, limit, blockDuration || ttl),
        REDIS_TIMEOUT_MS,
        'Redis',
      )) as [number, number, number];
      return {
        totalHits: hits,
        timeToExpire: Math.ceil(ttlMs / 1000),
        isBlocked: blockMs > 0,
        timeToBlockExpire: Math.ceil(blockMs / 1000),
      };
    } catch (error) {
      this.logger.warn(`Address limit not applied: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
