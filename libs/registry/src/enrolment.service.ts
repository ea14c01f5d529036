import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { AuditService } from '@app/audit/audit.service';
import { todayInStockholm, yearsTouched } from '@app/domain';
import { AggregationOutbox } from '@app/aggregation/aggregation-outbox';
import type { FieldError } from '@app/http/error-envelope';
import { conflictField, FieldErrorsException } from '@app/http/field-errors.exception';
import type {
  CreateEnrolmentDto,
  EnrolmentPage,
  EnrolmentView,
  ExitEnrolmentDto,
  ListEnrolmentsQuery,
  UpdateEnrolmentDto,
} from './enrolment.dto';
import {
  EnrolmentFields,
  EnrolmentRecord,
  EnrolmentRepository,
  enrolmentView,
  OpenEnrolmentExists,
} from './enrolment.repository';
import {
  exitPatchProblems,
  exitProblems,
  isUnchanged,
  municipalityOutsideIntervention,
  resolveAgeBand,
  startProblems,
} from './enrolment-rules';
import { InterventionAccess } from './intervention-access';
import { RegistryRepository } from './registry.repository';

function reject(problems: FieldError[]): never {
  throw new FieldErrorsException(400, problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

/**
 * Which (intervention, year) results a write changes, and from which date: nothing an enrolment counts in lies
 * before its start, so a version of it changes only periods that end on or after its start (or, for an exit, its
 * exit date). Each year keeps the earliest date of the versions added.
 */
class AffectedYears {
  private readonly byIntervention = new Map<string, Map<number, string>>();
  add(e: { interventionId: string; startedOn: string; exitedOn: string | null }, from = e.startedOn): void {
    const years = this.byIntervention.get(e.interventionId) ?? new Map<number, string>();
    for (const y of yearsTouched(e.startedOn, e.exitedOn, todayInStockholm())) {
      const earlier = years.get(y);
      years.set(y, earlier !== undefined && earlier < from ? earlier : from);
    }
    this.byIntervention.set(e.interventionId, years);
  }
  entries(): [string, ReadonlyMap<number, string>][] {
    return [...this.byIntervention];
  }
}

export const STRUCTURAL_CONFLICT =
  'the insats is structural (strukturinriktad) and has no participants; enrol in an individual-oriented insats';

/** A write that would give the participant a second open enrolment in the insats: 409 on `field`. */
async function openConflictOn<T>(field: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof OpenEnrolmentExists) throw conflictField(field, error.message);
    throw error;
  }
}

/** Registering, correcting, exiting and withdrawing enrolments. Each write is one transaction with its audit row. */
@Injectable()
export class EnrolmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly enrolments: EnrolmentRepository,
    private readonly registry: RegistryRepository,
    private readonly access: InterventionAccess,
    private readonly audit: AuditService,
    private readonly outbox: AggregationOutbox,
  ) {}

  /**
   * Runs a write in one transaction together with its dirty marks (every year the enrolment counted in,
   * before and after the change), then triggers the recompute once committed.
   */
  private async write<T>(work: (tx: EntityManager, touched: AffectedYears) => Promise<T>): Promise<T> {
    const touched = new AffectedYears();
    const result = await this.dataSource.transaction(async (tx) => {
      const value = await work(tx, touched);
      for (const [interventionId, from] of touched.entries())
        await this.outbox.mark(tx, interventionId, from.keys(), from);
      return value;
    });
    for (const [interventionId, from] of touched.entries()) this.outbox.trigger(interventionId, from.keys());
    return result;
  }

  create(actor: AccessScope, interventionId: string, dto: CreateEnrolmentDto): Promise<EnrolmentView> {
    return this.write(async (tx, touched) => {
      const intervention = await this.access.require(tx, actor, interventionId);
      if (intervention.kind === 'structural') throw conflictField('interventionId', STRUCTURAL_CONFLICT);
      const ageBand = resolveAgeBand(dto.ageBand, dto.age);
      const problems = [...startProblems(dto.startedOn, intervention, todayInStockholm())];
      if (typeof ageBand !== 'string') problems.push(ageBand);
      problems.push(...(await this.municipalityProblems(tx, dto.municipality, intervention)));
      if (!problems.some((p) => p.field === 'municipality'))
        problems.push(...municipalityOutsideIntervention(dto.municipality, intervention));
      if (problems.length) reject(problems);

      const created = await openConflictOn(
        'participantCode',
        this.enrolments.insert(tx, intervention, dto.participantCode, {
          startedOn: dto.startedOn,
          referringParty: dto.referringParty,
          gender: dto.gender,
          ageBand: ageBand as EnrolmentFields['ageBand'],
          municipality: dto.municipality,
          educationLevel: dto.educationLevel ?? 'unspecified',
          incomeSupportAtStart: dto.incomeSupportAtStart ?? [],
          exitedOn: null,
          exitReason: null,
          incomeSupportAtExit: null,
        }),
      );
      touched.add(created);
      await this.auditWrite(tx, actor, 'create', created, Object.keys(dto));
      return enrolmentView(created);
    });
  }

  async list(scope: AccessScope, interventionId: string, query: ListEnrolmentsQuery): Promise<EnrolmentPage> {
    const m = this.dataSource.manager;
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    // The list is read through the caller's scope, so rows found prove access; only an empty answer needs
    // the scope check's own reading (403 outside the scope, 404 for no such insats).
    const { items, total } = await this.enrolments.list(m, scope, interventionId, {
      status: query.status,
      participantCode: query.participantCode,
      page,
      pageSize,
    });
    if (items.length === 0) await this.access.require(m, scope, interventionId);
    return { items: items.map(enrolmentView), page, pageSize, total };
  }

  async get(scope: AccessScope, id: string): Promise<EnrolmentView> {
    return enrolmentView(await this.requireInScope(this.dataSource.manager, scope, id));
  }

  update(actor: AccessScope, id: string, dto: UpdateEnrolmentDto): Promise<EnrolmentView> {
    return this.write(async (tx, touched) => {
      const current = await this.requireInScope(tx, actor, id, true);
      const intervention = await this.access.require(tx, actor, current.interventionId);
      const problems = exitPatchProblems(dto, current.exitedOn !== null);
      if (problems.length) reject(problems);

      const next: EnrolmentFields = { ...current };
      if (dto.participantCode !== undefined) {
        next.participantId = await this.enrolments.participantId(
          tx,
          current.associationId,
          dto.participantCode,
        );
      }
      if (dto.startedOn !== undefined) next.startedOn = dto.startedOn;
      if (dto.referringParty !== undefined) next.referringParty = dto.referringParty;
      if (dto.gender !== undefined) next.gender = dto.gender;
      if (dto.ageBand !== undefined || dto.age !== undefined) {
        const band = resolveAgeBand(dto.ageBand, dto.age);
        if (typeof band !== 'string') reject([band]);
        next.ageBand = band;
      }
      if (dto.municipality !== undefined) {
        const bad = await this.municipalityProblems(tx, dto.municipality, intervention);
        if (bad.length) reject(bad);
        if (dto.municipality !== current.municipality) {
          const outside = municipalityOutsideIntervention(dto.municipality, intervention);
          if (outside.length) reject(outside);
        }
        next.municipality = dto.municipality;
      }
      if (dto.educationLevel !== undefined) next.educationLevel = dto.educationLevel;
      if (dto.incomeSupportAtStart !== undefined) next.incomeSupportAtStart = dto.incomeSupportAtStart;
      if (dto.exitedOn === null) {
        Object.assign(next, { exitedOn: null, exitReason: null, incomeSupportAtExit: null });
      } else {
        if (dto.exitedOn !== undefined) next.exitedOn = dto.exitedOn;
        if (dto.exitReason != null) next.exitReason = dto.exitReason;
        if (dto.incomeSupportAtExit !== undefined) next.incomeSupportAtExit = dto.incomeSupportAtExit ?? [];
      }

      const today = todayInStockholm();
      const dateProblems =
        dto.startedOn !== undefined ? startProblems(next.startedOn, intervention, today) : [];
      if (next.exitedOn && (dto.startedOn !== undefined || dto.exitedOn !== undefined)) {
        dateProblems.push(...exitProblems(next.exitedOn, next.startedOn, today));
      }
      if (dateProblems.length) reject(dateProblems);
      // An empty correction, or one that changes nothing: 200 with the enrolment as it is, nothing written.
      if (isUnchanged(current, next)) return enrolmentView(current);

      // A reopening or a move to another participant may make a second open enrolment: the index refuses it.
      const updated = await openConflictOn(
        dto.participantCode !== undefined ? 'participantCode' : 'exitedOn',
        this.enrolments.update(tx, id, next, {
          associationId: current.associationId,
          participantCode: dto.participantCode ?? current.participantCode,
        }),
      );
      touched.add(current);
      touched.add(updated);
      await this.auditWrite(tx, actor, 'update', updated, Object.keys(dto), current.participantCode);
      return enrolmentView(updated);
    });
  }

  exit(actor: AccessScope, id: string, dto: ExitEnrolmentDto): Promise<EnrolmentView> {
    return this.write(async (tx, touched) => {
      const current = await this.requireInScope(tx, actor, id, true);
      if (current.exitedOn) {
        throw conflictField('exitedOn', `the enrolment was already exited on ${current.exitedOn}`);
      }
      const problems = exitProblems(dto.exitedOn, current.startedOn, todayInStockholm());
      if (problems.length) reject(problems);
      const exited = await this.enrolments.update(
        tx,
        id,
        {
          ...current,
          exitedOn: dto.exitedOn,
          exitReason: dto.exitReason,
          incomeSupportAtExit: dto.incomeSupportAtExit ?? [],
        },
        current,
      );
      // While open it counted as active up to today; exited, only up to its exit: both sets of years change,
      // but only in periods that end on or after the exit (before it, it was and is active).
      touched.add(current, dto.exitedOn);
      touched.add(exited, dto.exitedOn);
      await this.auditWrite(tx, actor, 'exit', exited, Object.keys(dto));
      return enrolmentView(exited);
    });
  }

  /** Registration error: the enrolment leaves every statistic; the audit log keeps what happened. */
  remove(actor: AccessScope, id: string): Promise<void> {
    return this.write(async (tx, touched) => {
      const current = await this.requireInScope(tx, actor, id, true);
      await this.enrolments.markRemoved(tx, id);
      touched.add(current);
      await this.auditWrite(tx, actor, 'delete', current, [], undefined, { reason: 'registration_error' });
    });
  }

  private async requireInScope(
    m: EntityManager,
    scope: AccessScope,
    id: string,
    lock = false,
  ): Promise<EnrolmentRecord> {
    const found = await this.enrolments.findInScope(m, scope, id, lock);
    if (found) return found;
    if (await this.enrolments.exists(m, id))
      throw new ForbiddenException('This enrolment is outside your scope');
    throw new NotFoundException('No such enrolment');
  }

  private async municipalityProblems(
    m: EntityManager,
    code: string,
    intervention: { municipalities: readonly string[] },
  ): Promise<FieldError[]> {
    // The insats' own municipalities are known codes (a foreign key): only another code needs the lookup.
    if (intervention.municipalities.includes(code)) return [];
    const unknown = await this.registry.unknownMunicipalities(m, [code]);
    return unknown.length
      ? [{ field: 'municipality', message: `unknown SCB municipality code ${code}` }]
      : [];
  }

  private auditWrite(
    tx: EntityManager,
    actor: AccessScope,
    action: 'create' | 'update' | 'exit' | 'delete',
    e: EnrolmentRecord,
    changedFields: string[],
    previousCode?: string,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    // Only the pseudonymous code is logged, never the participant's attributes.
    const details: Record<string, unknown> = { participantCode: e.participantCode, ...extra };
    if (previousCode && previousCode !== e.participantCode) details.previousParticipantCode = previousCode;
    return this.audit.record(tx, actor, {
      action,
      entityType: 'enrolment',
      entityId: e.id,
      associationId: e.associationId,
      interventionId: e.interventionId,
      changedFields,
      details,
    });
  }
}
