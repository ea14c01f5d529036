// Environment schema: validated once at boot so a bad setting fails fast with a clear message.
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes'].includes(String(value).toLowerCase());

export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  /** PostgreSQL URL. Unset: an embedded PostgreSQL is started with its data under EMBEDDED_PG_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must start with postgres:// or postgresql://' })
  DATABASE_URL?: string;

  @IsString()
  EMBEDDED_PG_DIR = './.data/postgres';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key, so several installations (or test runs) can share one Redis. */
  @Matches(/^[A-Za-z0-9_:-]+$/)
  REDIS_PREFIX = 'uppfoljning';

  /** Secret that signs access tokens. Required in production; generated per process otherwise. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  TOKEN_TTL_SECONDS = 3600;

  @IsOptional()
  @IsString()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters' })
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  /** Login attempts allowed per client address and minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  LOGIN_RATE_LIMIT_PER_MINUTE = 10;

  /** Login attempts allowed per account (any address, kept in Redis) before it is locked for the window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_ACCOUNT_ATTEMPT_LIMIT = 10;

  /** Window (and lock time) of LOGIN_ACCOUNT_ATTEMPT_LIMIT, in seconds. A successful login resets it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_ACCOUNT_WINDOW_SECONDS = 900;

  @Transform(toBool)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  /** Jobs one worker process runs at a time. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(32)
  WORKER_CONCURRENCY = 2;

  /** A job's lock; a worker that dies loses it after this long and the job is retried elsewhere. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  WORKER_LOCK_MS = 30_000;

  /**
   * When writes arrive during an association's recompute (a stream of writes), its next round starts this long
   * after that one started: the writes meanwhile are served together, so the worker computes less often, each
   * time for more. After a round that ended with nothing left, the next write is recomputed at once. 0: round
   * after round.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  RECOMPUTE_SPACING_MS = 1000;

  /** How often dirty marks whose trigger was lost (Redis down, crash) are re-enqueued. */
  @Transform(toInt)
  @IsInt()
  @Min(200)
  @Max(3_600_000)
  SWEEP_EVERY_MS = 15_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Largest file accepted by POST /api/v1/imports (MiB); larger uploads get 413 before anything is stored. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  IMPORT_MAX_FILE_MB = 20;

  /** Most data rows one import may hold; the worker stops reading a file beyond it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2_000_000)
  IMPORT_MAX_ROWS = 200_000;

  /** Data quality: an enrolment open longer than this many months without an exit is reported. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(240)
  DATA_QUALITY_OPEN_MONTHS = 24;

  /** Data quality: an insats with no registration for this many months is reported. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  DATA_QUALITY_INACTIVE_MONTHS = 3;

  /** Retention: participant rows are deleted this many months after exit (an association may set its own). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1200)
  RETENTION_MONTHS = 36;
  /** Web pages: a session unused for this long ends (the user signs in again). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  WEB_SESSION_IDLE_MINUTES = 30;

  /** Web pages: a session ends this long after sign-in, however active. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 7)
  WEB_SESSION_MAX_HOURS = 12;

  /** Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, so the session cookie is marked Secure. */
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;
}

export class EnvironmentError extends Error {}

export function loadEnvironment(raw: NodeJS.ProcessEnv = process.env): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`),
  );
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET)
    problems.push('JWT_SECRET: required when NODE_ENV=production');
  if (Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)) {
    problems.push('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  if (problems.length) throw new EnvironmentError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return env;
}
