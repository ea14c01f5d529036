// The enrolment rules as plain functions: each returns the field errors it finds (empty when fine).
import { ageToBand, type AgeBand } from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';

export function resolveAgeBand(ageBand: AgeBand | undefined, age: number | undefined): AgeBand | FieldError {
  if (ageBand !== undefined && age !== undefined) {
    return { field: 'age', message: 'give either ageBand or age, not both' };
  }
  if (age !== undefined) return ageToBand(age); // range already validated by the DTO
  if (ageBand !== undefined) return ageBand;
  return { field: 'ageBand', message: 'is required (or give age in years)' };
}

export function startProblems(
  startedOn: string,
  intervention: { startsOn: string; endsOn: string | null },
  today: string,
): FieldError[] {
  const problems: FieldError[] = [];
  if (startedOn > today) problems.push({ field: 'startedOn', message: 'must not be in the future' });
  if (startedOn < intervention.startsOn) {
    problems.push({
      field: 'startedOn',
      message: `must not be before the intervention started (${intervention.startsOn})`,
    });
  }
  if (intervention.endsOn && startedOn > intervention.endsOn) {
    problems.push({
      field: 'startedOn',
      message: `must not be after the intervention ended (${intervention.endsOn})`,
    });
  }
  return problems;
}

export function exitProblems(exitedOn: string, startedOn: string, today: string): FieldError[] {
  const problems: FieldError[] = [];
  if (exitedOn < startedOn)
    problems.push({ field: 'exitedOn', message: `must not be before startedOn (${startedOn})` });
  if (exitedOn > today) problems.push({ field: 'exitedOn', message: 'must not be in the future' });
  return problems;
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
