// The enrolment rules as plain functions: each returns the problems it finds (empty when fine). The coded
// forms (a stable code and the values the message names) are what the import reports per row and column;
// the API's field errors are worded from them.
import {
  ageToBand,
  codedText,
  type AgeBand,
  type Coded,
  type EnrolmentRuleParams,
  type ProblemCatalogue,
} from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';

/** A broken enrolment rule: the field it is about, its code and parameters. */
export type RuleProblem = {
  field: 'startedOn' | 'exitedOn' | 'age' | 'ageBand';
} & Coded<EnrolmentRuleParams>;

/** The API's English for each rule. */
export const ENROLMENT_RULE_MESSAGES: ProblemCatalogue<EnrolmentRuleParams> = {
  date_in_future: () => 'must not be in the future',
  before_intervention_start: ({ date }) => `must not be before the intervention started (${date})`,
  after_intervention_end: ({ date }) => `must not be after the intervention ended (${date})`,
  exit_before_start: ({ date }) => `must not be before startedOn (${date})`,
  age_both: () => 'give either ageBand or age, not both',
  age_required: () => 'is required (or give age in years)',
};

export function ruleError(p: RuleProblem): FieldError {
  return { field: p.field, message: codedText(ENROLMENT_RULE_MESSAGES, p) };
}

export function ageBandRule(ageBand: AgeBand | undefined, age: number | undefined): AgeBand | RuleProblem {
  if (ageBand !== undefined && age !== undefined) return { field: 'age', code: 'age_both', params: {} };
  if (age !== undefined) return ageToBand(age); // range already validated by the DTO
  if (ageBand !== undefined) return ageBand;
  return { field: 'ageBand', code: 'age_required', params: {} };
}

export function resolveAgeBand(ageBand: AgeBand | undefined, age: number | undefined): AgeBand | FieldError {
  const band = ageBandRule(ageBand, age);
  return typeof band === 'string' ? band : ruleError(band);
}

export function startRuleProblems(
  startedOn: string,
  intervention: { startsOn: string; endsOn: string | null },
  today: string,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (startedOn > today) problems.push({ field: 'startedOn', code: 'date_in_future', params: {} });
  if (startedOn < intervention.startsOn) {
    problems.push({
      field: 'startedOn',
      code: 'before_intervention_start',
      params: { date: intervention.startsOn },
    });
  }
  if (intervention.endsOn && startedOn > intervention.endsOn) {
    problems.push({
      field: 'startedOn',
      code: 'after_intervention_end',
      params: { date: intervention.endsOn },
    });
  }
  return problems;
}

export function startProblems(
  startedOn: string,
  intervention: { startsOn: string; endsOn: string | null },
  today: string,
): FieldError[] {
  return startRuleProblems(startedOn, intervention, today).map(ruleError);
}

export function exitRuleProblems(exitedOn: string, startedOn: string, today: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (exitedOn < startedOn)
    problems.push({ field: 'exitedOn', code: 'exit_before_start', params: { date: startedOn } });
  if (exitedOn > today) problems.push({ field: 'exitedOn', code: 'date_in_future', params: {} });
  return problems;
}

export function exitProblems(exitedOn: string, startedOn: string, today: string): FieldError[] {
  return exitRuleProblems(exitedOn, startedOn, today).map(ruleError);
}

/** A correction may reopen an exit (both null) or change it, but never leave half an exit. */
export function exitPatchProblems(
  patch: { exitedOn?: string | null; exitReason?: string | null; incomeSupportAtExit?: unknown },
  isExited: boolean,
): FieldError[] {
  const clearsDate = patch.exitedOn === null;
  const clearsReason = patch.exitReason === null;
  if (clearsDate !== clearsReason) {
    return [
      {
        field: clearsDate ? 'exitReason' : 'exitedOn',
        message: 'set exitedOn and exitReason to null together to reopen',
      },
    ];
  }
  if (clearsDate && patch.incomeSupportAtExit) {
    return [{ field: 'incomeSupportAtExit', message: 'cannot be given when reopening' }];
  }
  const touchesExit =
    patch.exitedOn !== undefined || patch.exitReason !== undefined || patch.incomeSupportAtExit !== undefined;
  if (!isExited && touchesExit && !clearsDate) {
    return [
      {
        field: patch.exitedOn !== undefined ? 'exitedOn' : 'exitReason',
        message: 'the enrolment is open; register the exit with POST /enrolments/:id/exit',
      },
    ];
  }
  return [];
}

/** A participant lives in one of the municipalities the insats serves. */
export function municipalityOutsideIntervention(
  code: string,
  intervention: { municipalities: readonly string[] },
): FieldError[] {
  return intervention.municipalities.includes(code)
    ? []
    : [
        {
          field: 'municipality',
          message: `must be one of the intervention's municipalities: ${intervention.municipalities.join(', ')}`,
        },
      ];
}

const sameList = (a: readonly string[] | null, b: readonly string[] | null): boolean =>
  a === null || b === null ? a === b : a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** True when a correction changes nothing: then it is a no-op (no write, no audit row, no recompute). */
export function isUnchanged<
  T extends {
    participantId: string;
    startedOn: string;
    referringParty: string;
    gender: string;
    ageBand: string;
    municipality: string;
    educationLevel: string;
    incomeSupportAtStart: readonly string[];
    exitedOn: string | null;
    exitReason: string | null;
    incomeSupportAtExit: readonly string[] | null;
  },
>(current: T, next: T): boolean {
  return (
    current.participantId === next.participantId &&
    current.startedOn === next.startedOn &&
    current.referringParty === next.referringParty &&
    current.gender === next.gender &&
    current.ageBand === next.ageBand &&
    current.municipality === next.municipality &&
    current.educationLevel === next.educationLevel &&
    sameList(current.incomeSupportAtStart, next.incomeSupportAtStart) &&
    current.exitedOn === next.exitedOn &&
    current.exitReason === next.exitReason &&
    sameList(current.incomeSupportAtExit, next.incomeSupportAtExit)
  );
}
