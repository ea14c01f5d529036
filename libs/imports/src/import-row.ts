// One row of an import: cells to an enrolment (with its exit), checked by the same rules as the API.
import {
  containsPersonalNumber,
  isCalendarDate,
  looksLikePersonalNumber,
  MAX_AGE,
  MIN_AGE,
  type AgeBand,
  type EducationLevel,
  type ExitReason,
  type Gender,
  type ImportProblemDetail,
  type IncomeSupport,
  type InterventionKind,
  type ReferringParty,
} from '@app/domain';
import { PARTICIPANT_CODE } from '@app/registry/enrolment.dto';
import {
  ageBandRule,
  exitRuleProblems,
  startRuleProblems,
  type RuleProblem,
} from '@app/registry/enrolment-rules';
import { columnName, IMPORT_FIELDS, type ColumnMap, type ImportField } from './import-columns';
import { clip, importProblem, type ImportProblem } from './import-problems';
import { normalise, splitList, VOCABULARY, Vocabulary } from './import-values';

export interface StagedRow {
  rowNo: number;
  interventionId: string;
  participantCode: string;
  startedOn: string;
  referringParty: ReferringParty;
  gender: Gender;
  ageBand: AgeBand;
  municipality: string;
  educationLevel: EducationLevel;
  incomeSupportAtStart: IncomeSupport[];
  exitedOn: string | null;
  exitReason: ExitReason | null;
  incomeSupportAtExit: IncomeSupport[] | null;
}

export interface InterventionRef {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string | null;
  kind: InterventionKind;
  /** May the uploader write to it (a coordinator: only their own insatser). */
  inScope: boolean;
}

export interface ImportContext {
  today: string;
  /** By id and by normalised name, within the association. */
  interventions: Map<string, InterventionRef>;
  /** By code, by normalised name and by "name kommun". */
  municipalities: Map<string, string>;
}

// A personal-number problem names the column only: the cell is neither used nor echoed back.
const PERSONAL_NUMBER: ImportProblemDetail = { code: 'personal_number', params: {} };

/** Checks rows one by one and across the file (duplicates, two open enrolments); keeps what it needs only. */
export class ImportRowChecker {
  private readonly keys = new Map<string, number>();
  private readonly open = new Map<string, number>();
  // Most cells repeat (labels, dates, names): check each distinct text once. Bounded, so memory stays flat.
  private readonly identifierChecked = new Map<string, boolean>();
  private readonly dateChecked = new Map<string, boolean>();
  // Income-support cells that were valid, as parsed (shared, never changed: only read when staged).
  private readonly listParsed = new Map<string, IncomeSupport[]>();
  private readonly mappedColumns: Set<number>;

  constructor(
    private readonly columns: ColumnMap,
    private readonly context: ImportContext,
  ) {
    this.mappedColumns = new Set(Object.values(columns.index));
  }

  /** The privacy rule of the API (personal-number.ts), on any cell. */
  private isIdentifier(text: string): boolean {
    let found = this.identifierChecked.get(text);
    if (found === undefined) {
      found = looksLikePersonalNumber(text) || containsPersonalNumber(text);
      if (this.identifierChecked.size >= 20_000) this.identifierChecked.clear();
      this.identifierChecked.set(text, found);
    }
    return found;
  }

  /** isCalendarDate, once per distinct text (dates repeat across rows). */
  private isDate(text: string): boolean {
    let ok = this.dateChecked.get(text);
    if (ok === undefined) {
      ok = isCalendarDate(text);
      if (this.dateChecked.size >= 20_000) this.dateChecked.clear();
      this.dateChecked.set(text, ok);
    }
    return ok;
  }

  check(rowNo: number, cells: string[]): { row: StagedRow | null; problems: ImportProblem[] } {
    const problems: ImportProblem[] = [];
    const problem = (field: ImportField, detail: ImportProblemDetail) =>
      problems.push(importProblem(rowNo, columnName(this.columns, field), detail));

    // The privacy rule first, on every cell: a flagged cell is neither used nor echoed back.
    const value: Partial<Record<ImportField, string>> = {};
    for (const field of IMPORT_FIELDS) {
      const i = this.columns.index[field];
      if (i === undefined) continue;
      const text = (cells[i] ?? '').trim();
      if (text !== '' && this.isIdentifier(text)) {
        problem(field, PERSONAL_NUMBER);
        value[field] = undefined;
      } else value[field] = text;
    }
    for (const [i, cell] of cells.entries()) {
      if (!this.mappedColumns.has(i) && cell.trim() !== '' && this.isIdentifier(cell.trim())) {
        problems.push(importProblem(rowNo, `#${i + 1}`, PERSONAL_NUMBER));
      }
    }
    // Columns flagged by the privacy rule (a Set only when there are any: most rows have none).
    const flagged = problems.length > 0 ? new Set(problems.map((p) => p.column)) : null;
    const given = (field: ImportField) => value[field] !== undefined && value[field] !== '';
    const required = (field: ImportField): string | undefined => {
      if (given(field)) return value[field];
      if (!flagged?.has(columnName(this.columns, field))) problem(field, { code: 'required', params: {} });
      return undefined;
    };
    const code = <C extends string>(field: ImportField, vocabulary: Vocabulary<C>) => {
      const text = value[field];
      if (!text) return undefined;
      const found = vocabulary.lookup(text);
      if (!found) {
        problem(field, { code: 'unknown_value', params: { value: clip(text), vocabulary: vocabulary.name } });
      }
      return found;
    };
    const date = (field: ImportField) => {
      const text = value[field];
      if (!text) return undefined;
      if (this.isDate(text)) return text;
      problem(field, { code: 'invalid_date', params: { value: clip(text) } });
      return undefined;
    };
    const list = (field: ImportField): IncomeSupport[] | undefined => {
      const text = value[field];
      if (!text) return [];
      const parsed = this.listParsed.get(text);
      if (parsed) return parsed;
      const found: IncomeSupport[] = [];
      for (const part of splitList(text)) {
        const c = VOCABULARY.incomeSupport.lookup(part);
        if (!c) {
          problem(field, {
            code: 'unknown_value',
            params: { value: clip(part), vocabulary: 'incomeSupport' },
          });
          return undefined;
        }
        if (!found.includes(c)) found.push(c);
      }
      if (this.listParsed.size >= 1000) this.listParsed.clear();
      this.listParsed.set(text, found);
      return found;
    };

    const participantCode = required('participantCode');
    if (participantCode !== undefined && !PARTICIPANT_CODE.test(participantCode)) {
      problem('participantCode', { code: 'participant_code_format', params: {} });
    }
    const intervention = this.intervention(required('intervention'), (m) => problem('intervention', m));
    const startedOn = required('startedOn') !== undefined ? date('startedOn') : undefined;
    const referringParty =
      required('referringParty') !== undefined
        ? code('referringParty', VOCABULARY.referringParty)
        : undefined;
    const gender = required('gender') !== undefined ? code('gender', VOCABULARY.gender) : undefined;
    const municipality = this.municipality(required('municipality'), (m) => problem('municipality', m));
    const educationLevel = given('educationLevel')
      ? code('educationLevel', VOCABULARY.educationLevel)
      : 'unspecified';
    const incomeSupportAtStart = list('incomeSupportAtStart');

    // Age: years (converted to a band, never stored) or a band, by the enrolment API's rule.
    let age: number | undefined;
    let ageBand: AgeBand | undefined;
    let ageOk = true;
    if (given('age')) {
      const text = value.age!;
      if (!/^\d{1,3}$/.test(text) || Number(text) < MIN_AGE || Number(text) > MAX_AGE) {
        problem('age', { code: 'age_out_of_range', params: { min: MIN_AGE, max: MAX_AGE } });
        ageOk = false;
      } else age = Number(text);
    }
    if (given('ageBand')) {
      ageBand = code('ageBand', VOCABULARY.ageBand);
      if (!ageBand) ageOk = false;
    }
    let band: AgeBand | undefined;
    if (ageOk) {
      const resolved = ageBandRule(ageBand, age);
      if (typeof resolved === 'string') band = resolved;
      else this.ruleProblem(resolved, problem);
    }

    // The exit: a date and a reason together, or neither.
    const exitedOn = date('exitedOn');
    const exitReason = code('exitReason', VOCABULARY.exitReason);
    if (given('exitedOn') !== given('exitReason')) {
      const [missing, other]: ImportField[] = given('exitReason')
        ? ['exitedOn', 'exitReason']
        : ['exitReason', 'exitedOn'];
      problem(missing, { code: 'required_with', params: { other: columnName(this.columns, other) } });
    }
    const hasExit = given('exitedOn') || given('exitReason');
    let incomeSupportAtExit: IncomeSupport[] | null | undefined = null;
    if (given('incomeSupportAtExit') && !hasExit) {
      problem('incomeSupportAtExit', { code: 'exit_support_without_exit', params: {} });
    } else if (hasExit) incomeSupportAtExit = list('incomeSupportAtExit');

    if (intervention && startedOn) {
      for (const p of startRuleProblems(startedOn, intervention, this.context.today))
        this.ruleProblem(p, problem);
      if (exitedOn)
        for (const p of exitRuleProblems(exitedOn, startedOn, this.context.today))
          this.ruleProblem(p, problem);
    }

    // Across the file: the natural key once, and at most one open enrolment per participant and insats.
    if (participantCode && intervention && startedOn && problems.length === 0) {
      const key = `${intervention.id}|${participantCode}|${startedOn}`;
      const earlier = this.keys.get(key);
      if (earlier !== undefined) {
        problem('participantCode', { code: 'duplicate_in_file', params: { row: earlier } });
      } else this.keys.set(key, rowNo);
      if (!hasExit) {
        const openKey = `${intervention.id}|${participantCode}`;
        const open = this.open.get(openKey);
        if (open !== undefined && earlier === undefined) {
          problem('participantCode', { code: 'open_in_file', params: { row: open } });
        } else this.open.set(openKey, rowNo);
      }
    }

    if (problems.length > 0) return { row: null, problems };
    return {
      row: {
        rowNo,
        interventionId: intervention!.id,
        participantCode: participantCode!,
        startedOn: startedOn!,
        referringParty: referringParty!,
        gender: gender!,
        ageBand: band!,
        municipality: municipality!,
        educationLevel: educationLevel!,
        incomeSupportAtStart: incomeSupportAtStart!,
        exitedOn: exitedOn ?? null,
        exitReason: exitReason ?? null,
        incomeSupportAtExit: hasExit ? (incomeSupportAtExit ?? []) : null,
      },
      problems,
    };
  }

  /** A broken enrolment rule on the column of its field (the rule's fields are import fields too). */
  private ruleProblem(
    { field, ...detail }: RuleProblem,
    problem: (field: ImportField, detail: ImportProblemDetail) => void,
  ): void {
    problem(field, detail);
  }

  private intervention(
    text: string | undefined,
    problem: (detail: ImportProblemDetail) => void,
  ): InterventionRef | undefined {
    if (text === undefined) return undefined;
    const found = this.context.interventions.get(text) ?? this.context.interventions.get(normalise(text));
    if (!found) {
      problem({ code: 'unknown_intervention', params: { value: clip(text) } });
      return undefined;
    }
    if (!found.inScope) {
      problem({ code: 'intervention_out_of_scope', params: { name: found.name } });
      return undefined;
    }
    if (found.kind === 'structural') {
      problem({ code: 'intervention_structural', params: { name: found.name } });
      return undefined;
    }
    return found;
  }

  private municipality(
    text: string | undefined,
    problem: (detail: ImportProblemDetail) => void,
  ): string | undefined {
    if (text === undefined) return undefined;
    const code = this.context.municipalities.get(normalise(text));
    if (!code) problem({ code: 'unknown_municipality', params: { value: clip(text) } });
    return code;
  }
}
