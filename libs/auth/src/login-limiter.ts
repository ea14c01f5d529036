import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { withTimeout } from '@app/http/timeout';
import { REDIS } from '@app/queue/redis.module';
import { AppConfig } from '@config/config.module';

const REDIS_TIMEOUT_MS = 1000;

// Counts an attempt and, on the attempt that reaches the limit, restarts the window as the lock time.
const COUNT_ATTEMPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or n == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}`;

/** 429 with the seconds to wait; the auth controller puts them in Retry-After. */
export class LoginLimitedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many login attempts for this account; try again later', HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Login attempts per account, whatever the client address, kept in Redis so neither a restart nor a
 * second address resets them (NIST 800-63B §5.2.2 throttling). Attempts are counted before the password
 * is checked, so parallel guesses cannot overtake the count; a successful login clears it. Unknown emails
 * are counted alike, so the limit reveals nothing about which accounts exist. The key is a hash of the
 * email: no personal data in Redis.
 */
@Injectable()
export class LoginLimiter {
  private readonly logger = new Logger(LoginLimiter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Counts this attempt; throws LoginLimitedException once the account is over its limit. */
  async attempt(email: string): Promise<void> {
    const { LOGIN_ACCOUNT_ATTEMPT_LIMIT: limit, LOGIN_ACCOUNT_WINDOW_SECONDS: window } = this.config.env;
    let result: [number, number];
    try {
      result = (await withTimeout(
        this.redis.eval(COUNT_ATTEMPT, 1, this.key(email), window, limit),
        REDIS_TIMEOUT_MS,
        'Redis',
      )) as [number, number];
    } catch (error) {
      // Logins keep working while Redis is away (argon2 still slows guessing); the outage is logged.
      this.logger.warn(`Login limit not applied: ${(error as Error).message}`);
      return;
    }
    const [attempts, ttl] = result;
    if (attempts > limit) throw new LoginLimitedException(ttl > 0 ? ttl : window);
  }

  async succeeded(email: string): Promise<void> {
    await withTimeout(this.redis.del(this.key(email)), REDIS_TIMEOUT_MS, 'Redis').catch(() => undefined);
  }

  private key(email: string): string {
    const digest = createHash('sha256').update(email).digest('hex');
    return `${this.config.env.REDIS_PREFIX}:login-attempts:${digest}`;
  }
}
