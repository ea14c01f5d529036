// Environment of every e2e test worker (DATABASE_URL and REDIS_PREFIX come from global set-up).
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';
process.env.BOOTSTRAP_ADMIN_EMAIL = 'admin@test.uppfoljning.se';
process.env.BOOTSTRAP_ADMIN_PASSWORD = 'Admin-password-for-tests';
process.env.LOGIN_RATE_LIMIT_PER_MINUTE = process.env.LOGIN_RATE_LIMIT_PER_MINUTE ?? '10000';
