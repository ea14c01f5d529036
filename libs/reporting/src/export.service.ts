import { Injectable } from '@nestjs/common';
import { allInOrder } from '@app/http/all-in-order';
import { badField } from '@app/http/field-errors.exception';
import type { AccessScope } from '@app/access/access-scope';
import { RegistryService } from '@app/registry/registry.service';
import { SurveyReportService } from '@app/surveys/survey-report.service';
import { surveySheet } from '@app/surveys/survey-sheet';
import { CombinedReportService } from './combined-report.service';
import { writeCsv, writeXlsx } from './report-export';
import { periodEndOf } from './report-period';
import { ReportService } from './report.service';
import { buildTables, type AnyReport } from './report-tables';

/** What to export: one intervention, an association (or a chosen set of its interventions), or a region. */
export type ExportTarget =
  | { type: 'intervention'; id: string }
  | { type: 'association'; id: string; interventionIds?: string[]; name?: unknown }
  | { type: 'region'; associationIds?: string[] };

export type ExportFormat = 'xlsx' | 'csv' | 'json';

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** Report tables as XLSX or CSV, with the same numbers as the JSON reports (they are built from them). */
@Injectable()
export class ExportService {
  constructor(
    private readonly reports: ReportService,
    private readonly combined: CombinedReportService,
    private readonly registryService: RegistryService,
    private readonly surveys: SurveyReportService,
  ) {}

  async export(
    caller: AccessScope,
    target: ExportTarget,
    periodCode: unknown,
    format: unknown,
    publication: unknown,
  ): Promise<ExportFile> {
    const fmt = this.format(format);
    const mask = this.flag(publication, 'publication');
    // Reads that do not need each other run at once: under load each await of a long chain queues behind
    // other requests. Failures still come in a fixed order, the report's first.
    const [{ report, parts }, names, sheets] = await allInOrder([
      this.reportWithParts(caller, target, periodCode, mask),
      this.registryService
        .listMunicipalities()
        .then((list) => Object.fromEntries(list.map((x) => [x.code, x.name]))),
      fmt === 'xlsx' ? this.surveySheets(caller, target, periodCode, mask) : Promise.resolve([]),
    ] as const);
    const tables = buildTables({ report, perIntervention: parts, municipalityNames: names });
    const meta = {
      scopeName: report.scope.name,
      periodCode: report.period.code,
      periodStart: report.period.start,
      periodEnd: report.period.end,
      asOf: report.asOf,
      disclosureThreshold: 'disclosureControl' in report ? report.disclosureControl.threshold : null,
      generatedAt: new Date(),
    };
    const body =
      fmt === 'xlsx'
        ? writeXlsx(tables, meta, sheets)
        : fmt === 'csv'
          ? writeCsv(tables, meta)
          : Buffer.from(JSON.stringify({ ...meta, tables }));
    const suffix = meta.disclosureThreshold === null ? '' : '-publicering';
    return {
      filename: `uppfoljning-${slug(report.scope.name)}-${report.period.code}${suffix}.${fmt}`,
      contentType: CONTENT_TYPES[fmt],
      body,
    };
  }

  /** The report of the target, and its parts (one per insats, or per association of a region). */
  private async reportWithParts(
    caller: AccessScope,
    target: ExportTarget,
    periodCode: unknown,
    mask: boolean,
  ): Promise<{ report: AnyReport; parts: AnyReport[] }> {
    if (target.type === 'intervention') {
      const report = await this.reports.interventionReport(caller, target.id, periodCode, mask);
      return { report, parts: [report] };
    }
    if (target.type === 'region') {
      const regional = await this.combined.regionalReport(caller, target.associationIds, periodCode, mask);
      return { report: regional, parts: regional.associations };
    }
    const [report, parts] = await allInOrder([
      target.interventionIds
        ? this.combined.setReport(caller, target.id, target.interventionIds, target.name, periodCode, mask)
        : this.reports.associationReport(caller, target.id, periodCode, mask),
      this.startedInterventionReports(caller, target, periodCode, mask),
    ] as const);
    return { report, parts };
  }

  /**
   * The reports of the association's insatser (or the chosen ones) that had started by the end of the period,
   * in one batch; an insats that had not has no row. A period code that is not valid gives none here: the
   * report beside it refuses the code, and its error comes first.
   */
  private async startedInterventionReports(
    caller: AccessScope,
    target: { id: string; interventionIds?: string[] },
    periodCode: unknown,
    mask: boolean,
  ): Promise<AnyReport[]> {
    const end = periodEndOf(periodCode);
    if (end === null) return [];
    return this.reports.interventionReports(
      caller,
      target.id,
      { interventionIds: target.interventionIds, startedBy: end },
      periodCode,
      mask,
    );
  }

  /** The indicator surveys of the period's year (one insats or the association), as the published table. */
  private async surveySheets(caller: AccessScope, target: ExportTarget, periodCode: unknown, mask: boolean) {
    // Only the year matters here; a period code that is not valid fails the report, whose error comes first.
    const year =
      typeof periodCode === 'string' && /^\d{4}/.test(periodCode) ? Number(periodCode.slice(0, 4)) : null;
    if (
      year === null ||
      target.type === 'region' ||
      (target.type === 'association' && target.interventionIds)
    )
      return [];
    const surveys = await this.surveys.report(caller, { type: target.type, id: target.id }, year, mask);
    // No rounds that year: no sheet, rather than an empty one.
    return surveys.groups.length ? [surveySheet(surveys)] : [];
  }

  private format(value: unknown): ExportFormat {
    if (value === 'xlsx' || value === 'csv' || value === 'json') return value;
    throw badField('format', 'must be one of: xlsx, csv, json');
  }

  private flag(value: unknown, field: string): boolean {
    if (value === undefined || value === 'false') return false;
    if (value === 'true') return true;
    throw badField(field, 'must be true or false');
  }
}
