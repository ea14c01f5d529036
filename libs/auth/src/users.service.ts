import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit/audit.service';
import type { Role } from '@app/domain';
import { badField, conflictField, FieldErrorsException } from '@app/http/field-errors.exception';
import type { AccessScope } from '@app/access/access-scope';
import type { CreateUserDto, UpdateUserDto, UserView } from './auth.dto';
import { hashPassword } from './password';
import { passwordProblem } from './password-policy';
import { grantProblems } from './user-grants';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: AccessScope, dto: CreateUserDto): Promise<UserView> {
    const email = dto.email.trim().toLowerCase();
    const grants = { associationIds: dto.associationIds ?? [], interventionIds: dto.interventionIds ?? [] };
    checkPassword(dto.password, email);
    const passwordHash = await hashPassword(dto.password);
    return this.dataSource.transaction(async (tx) => {
      await this.checkGrants(tx, dto.role, grants);
      if (await this.users.emailExists(tx, email))
        throw conflictField('email', 'a user with this email already exists');
      const id = await this.users.insert(tx, {
        email,
        passwordHash,
        role: dto.role,
        displayName: dto.displayName ?? null,
      });
      await this.users.replaceGrants(tx, id, grants.associationIds, grants.interventionIds);
      await this.audit.record(tx, actor, {
        action: 'create',
        entityType: 'user',
        entityId: id,
        changedFields: ['email', 'role', 'associationIds', 'interventionIds'],
        details: { role: dto.role, ...grants },
      });
      return (await this.users.findView(tx, id))!;
    });
  }

  /**
   * A change of password, active flag, role or grants ends every token the user holds (token version),
   * so lost access is lost at once. The last active admin can be neither deactivated nor demoted.
   */
  async update(actor: AccessScope, id: string, dto: UpdateUserDto): Promise<UserView> {
    if (dto.password !== undefined) {
      const target = await this.users.findView(this.dataSource.manager, id);
      if (!target) throw new NotFoundException('No such user');
      checkPassword(dto.password, target.email);
    }
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    return this.dataSource.transaction(async (tx) => {
      // Locked first (same order in every update), so two admins cannot demote each other at once.
      const activeAdmins = await this.users.lockActiveAdmins(tx);
      const current = await this.users.findView(tx, id);
      if (!current) throw new NotFoundException('No such user');
      const role = dto.role ?? current.role;
      const roleChanged = role !== current.role;
      const activeChanged = dto.active !== undefined && dto.active !== current.active;
      if (activeAdmins.length === 1 && activeAdmins[0] === id) {
        if (dto.active === false)
          throw conflictField('active', 'the last active admin cannot be deactivated');
        if (roleChanged) throw conflictField('role', 'the last active admin cannot be given another role');
      }
      const grantsChanged = dto.associationIds !== undefined || dto.interventionIds !== undefined;
      const grants = {
        associationIds: dto.associationIds ?? current.associationIds,
        interventionIds: dto.interventionIds ?? current.interventionIds,
      };
      if (grantsChanged || roleChanged) await this.checkGrants(tx, role, grants);
      const endTokens = passwordHash !== undefined || activeChanged || roleChanged || grantsChanged;
      await this.users.update(
        tx,
        id,
        { active: dto.active, passwordHash, displayName: dto.displayName, role: dto.role },
        endTokens,
      );
      if (grantsChanged)
        await this.users.replaceGrants(tx, id, grants.associationIds, grants.interventionIds);
      const changedFields = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'user',
        entityId: id,
        changedFields,
        details: {
          ...(grantsChanged ? grants : {}),
          ...(roleChanged ? { role } : {}),
          tokensEnded: endTokens,
        },
      });
      return (await this.users.findView(tx, id))!;
    });
  }

  list(): Promise<UserView[]> {
    return this.users.listViews(this.dataSource.manager);
  }

  async me(scope: AccessScope): Promise<UserView> {
    const view = await this.users.findView(this.dataSource.manager, scope.userId);
    if (!view) throw new NotFoundException('No such user');
    return view;
  }

  private async checkGrants(
    tx: EntityManager,
    role: Role,
    grants: { associationIds: string[]; interventionIds: string[] },
  ) {
    const problems = grantProblems(role, grants);
    const missingAssociations = await this.users.missingIds(tx, 'association', grants.associationIds);
    const missingInterventions = await this.users.missingIds(tx, 'intervention', grants.interventionIds);
    if (missingAssociations.length)
      problems.push({ field: 'associationIds', message: `unknown ids: ${missingAssociations.join(', ')}` });
    if (missingInterventions.length)
      problems.push({ field: 'interventionIds', message: `unknown ids: ${missingInterventions.join(', ')}` });
    if (problems.length) {
      throw new FieldErrorsException(
        400,
        problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        problems,
      );
    }
  }
}

function checkPassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw badField('password', problem);
}
