import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import { todayInStockholm, yearOf } from '@app/domain';
import { InterventionAccess } from '@app/registry/intervention-access';
import { AppConfig } from '@config/config.module';
import { DataQualityRepository } from './data-quality.repository';
import { sumLines, type NationalCount } from './national-count';

export type Severity = 'warning' | 'info';

export interface DataQualityCheck {
  code: string;
  severity: Severity;
  description: string;
  count: number;
  items: unknown[];
}

/** The national count and the data-quality checks of an association. */
@Injectable()
export class DataQualityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: DataQualityRepository,
    private readonly access: InterventionAccess,
    private readonly config: AppConfig,
  ) {}

  /** Read from stored year results; an insats without one (no enrolments yet) is counted from its rows. */
  async nationalCount(scope: AccessScope, associationId: string, year: number): Promise<NationalCount> {
    const m = this.dataSource.manager;
    const association = await this.access.requireAssociation(m, scope, associationId);
    // Pending marks before the stored results: read after, a recompute finishing in between would label
    // stale results fresh.
    const pending = await this.repository.pendingRecomputes(m, associationId, year);
    const sources = await this.repository.nationalCountSources(m, associationId, year);
    const missing = sources.filter((s) => !s.participants || !s.newParticipants).map((s) => s.id);
    const counted = missing.length ? await this.repository.countFromRows(m, missing, year) : new Map();
    const interventions = sources.map((s) => {
      const line = s.participants && s.newParticipants ? s : counted.get(s.id)!;
      return {
        id: s.id,
        name: s.name,
        participants: line.participants!,
        newParticipants: line.newParticipants!,
      };
    });
    const computed = sources.map((s) => s.computedAt).filter((d): d is Date => d !== null);
    const ids = sources.map((s) => s.id);
    return {
      association: { id: association.id, name: association.name },
      year,
      asOf: computed.length ? new Date(Math.min(...computed.map((d) => d.getTime()))).toISOString() : null,
      fresh: ids.length === 0 || !pending,
      interventions,
      total: sumLines(interventions),
    };
  }

  async checks(scope: AccessScope, associationId: string): Promise<{ checks: DataQualityCheck[] }> {
    const m = this.dataSource.manager;
    await this.access.requireAssociation(m, scope, associationId);
    const today = todayInStockholm();
    const { DATA_QUALITY_OPEN_MONTHS: openMonths, DATA_QUALITY_INACTIVE_MONTHS: inactiveMonths } =
      this.config.env;
    const year = yearOf(today);
    return {
      checks: [
        {
          code: 'open_too_long',
          severity: 'warning',
          description: `Enrolments open longer than ${openMonths} months with no exit`,
          ...(await this.repository.openTooLong(m, scope, associationId, openMonths, today)),
        },
        {
          code: 'exit_without_income_support',
          severity: 'warning',
          description: 'Exits without income support at exit',
          ...(await this.repository.exitsWithoutIncomeSupport(m, scope, associationId)),
        },
        {
          code: 'missing_goals',
          severity: 'warning',
          description: `Individual-oriented insatser without goals for ${year}`,
          ...(await this.repository.withoutGoals(m, scope, associationId, year)),
        },
        {
          code: 'similar_participant_codes',
          severity: 'warning',
          description:
            'Participant codes that differ only in case, spaces or dashes (likely the same person)',
          ...(await this.repository.similarCodes(m, scope, associationId)),
        },
        {
          code: 'inactive_intervention',
          severity: 'info',
          description: `Running insatser with no registration in ${inactiveMonths} months`,
          ...(await this.repository.inactive(m, scope, associationId, inactiveMonths, today)),
        },
      ],
    };
  }
}
