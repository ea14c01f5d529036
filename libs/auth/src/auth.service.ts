import { Injectable, Logger, OnApplicationBootstrap, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { AuditService } from '@app/audit/audit.service';
import { badField } from '@app/http/field-errors.exception';
import { AppConfig } from '@config/config.module';
import type { TokenResponse } from './auth.dto';
import type { TokenClaims } from './auth.guard';
import { LoginLimiter } from './login-limiter';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import { passwordProblem } from './password-policy';
import { UsersRepository } from './users.repository';

const BAD_CREDENTIALS = 'Wrong email or password';

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly limiter: LoginLimiter,
  ) {}

  /** Same answer, and about the same time, whether the email exists or not. */
  async login(email: string, password: string): Promise<TokenResponse> {
    const manager = this.dataSource.manager;
    const address = email.trim().toLowerCase();
    await this.limiter.attempt(address);
    const user = await this.users.findCredentials(manager, address);
    const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!user || !ok || !user.active) throw new UnauthorizedException(BAD_CREDENTIALS);
    await this.limiter.succeeded(address);
    await this.dataSource.transaction(async (tx) => {
      await this.users.touchLogin(tx, user.id);
      await this.audit.record(tx, null, { action: 'login', entityType: 'user', entityId: user.id });
    });
    return this.issue(user.id, user.tokenVersion);
  }

  /**
   * The user's own password change: the current password is checked (and counted against the account's
   * login limit, so a stolen token cannot be used to guess it), every earlier token ends, and the answer
   * is a fresh token for this client.
   */
  async changePassword(
    caller: AccessScope,
    currentPassword: string,
    newPassword: string,
  ): Promise<TokenResponse> {
    const manager = this.dataSource.manager;
    const user = await this.users.findCredentialsById(manager, caller.userId);
    if (!user) throw new UnauthorizedException(BAD_CREDENTIALS);
    await this.limiter.attempt(user.email);
    if (!(await verifyPassword(user.passwordHash, currentPassword)))
      throw badField('currentPassword', 'is not your current password');
    await this.limiter.succeeded(user.email);
    const problem = passwordProblem(newPassword, user.email);
    if (problem) throw badField('newPassword', problem);
    const passwordHash = await hashPassword(newPassword);
    const tokenVersion = await this.dataSource.transaction(async (tx) => {
      const version = await this.users.changePassword(tx, caller.userId, passwordHash);
      await this.audit.record(tx, caller, {
        action: 'update',
        entityType: 'user',
        entityId: caller.userId,
        changedFields: ['password'],
        details: { self: true, tokensEnded: true },
      });
      return version;
    });
    return this.issue(caller.userId, tokenVersion);
  }

  private async issue(userId: string, tokenVersion: number): Promise<TokenResponse> {
    const expiresIn = this.config.env.TOKEN_TTL_SECONDS;
    const claims: TokenClaims = { sub: userId, ver: tokenVersion };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn });
    return { accessToken, tokenType: 'Bearer', expiresIn };
  }

  /** First start: create the admin named in the environment, if no user exists yet. */
  async onApplicationBootstrap(): Promise<void> {
    const { BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password } = this.config.env;
    if (!email || !password) return;
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (tx) => {
      // Two replicas may boot together: serialise the check-then-insert.
      await tx.query(`SELECT pg_advisory_xact_lock(727002)`);
      if ((await this.users.countUsers(tx)) > 0) return;
      const problem = passwordProblem(password, email);
      if (problem && this.config.env.NODE_ENV === 'production')
        throw new Error(`BOOTSTRAP_ADMIN_PASSWORD ${problem}; choose another before the first start`);
      if (problem) this.logger.warn(`BOOTSTRAP_ADMIN_PASSWORD ${problem}; change it after the first login`);
      const id = await this.users.insert(tx, {
        email: email.trim().toLowerCase(),
        passwordHash,
        role: 'admin',
        displayName: 'Administratör',
      });
      await this.audit.record(tx, null, {
        action: 'create',
        entityType: 'user',
        entityId: id,
        details: { bootstrap: true },
      });
      this.logger.log('Created the bootstrap admin user');
    });
  }
}
