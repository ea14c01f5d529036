// Which column of the file holds which field: the API field name or the Swedish label of the UI.
import { containsPersonalNumber, ENROLMENT_FIELD_LABELS } from '@app/domain';
import { importProblem, type ImportProblem } from './import-problems';
import { normalise } from './import-values';

export type ImportField = keyof typeof ENROLMENT_FIELD_LABELS;
export const IMPORT_FIELDS = Object.keys(ENROLMENT_FIELD_LABELS) as ImportField[];

// API names besides the field names themselves (the insats may be given by name or id).
const EXTRA_NAMES: Partial<Record<ImportField, string[]>> = {
  intervention: ['interventionId', 'interventionName'],
  municipality: ['municipalityCode'],
};

const BY_NAME = new Map<string, ImportField>();
for (const field of IMPORT_FIELDS) {
  for (const name of [field, ENROLMENT_FIELD_LABELS[field], ...(EXTRA_NAMES[field] ?? [])]) {
    BY_NAME.set(normalise(name), field);
  }
}

export const REQUIRED_FIELDS: ImportField[] = [
  'participantCode',
  'intervention',
  'startedOn',
  'referringParty',
  'gender',
  'municipality',
];

export interface ColumnMap {
  /** Field → index of its column. */
  index: Partial<Record<ImportField, number>>;
  /** Field → heading as written in the file, for problems. */
  heading: Partial<Record<ImportField, string>>;
  /** Problems of the header (row 1). */
  problems: ImportProblem[];
}

export function mapColumns(header: string[]): ColumnMap {
  const map: ColumnMap = { index: {}, heading: {}, problems: [] };
  header.forEach((raw, i) => {
    const heading = raw.trim();
    if (heading === '') return;
    const field = BY_NAME.get(normalise(heading));
    if (!field && containsPersonalNumber(heading)) {
      // Named by position: a heading that may identify someone is never echoed or stored.
      map.problems.push(importProblem(1, `#${i + 1}`, { code: 'personal_number', params: {} }));
    } else if (!field) {
      map.problems.push(importProblem(1, heading.slice(0, 60), { code: 'unknown_column', params: {} }));
    } else if (map.index[field] !== undefined) {
      map.problems.push(
        importProblem(1, heading, { code: 'duplicate_column', params: { other: map.heading[field]! } }),
      );
    } else {
      map.index[field] = i;
      map.heading[field] = heading;
    }
  });
  for (const field of REQUIRED_FIELDS) {
    if (map.index[field] === undefined) {
      map.problems.push(
        importProblem(1, ENROLMENT_FIELD_LABELS[field], { code: 'missing_column', params: {} }),
      );
    }
  }
  if (map.index.age === undefined && map.index.ageBand === undefined) {
    map.problems.push(
      importProblem(1, ENROLMENT_FIELD_LABELS.ageBand, { code: 'missing_age_column', params: {} }),
    );
  }
  if ((map.index.exitedOn === undefined) !== (map.index.exitReason === undefined)) {
    const missing = map.index.exitedOn === undefined ? 'exitedOn' : 'exitReason';
    map.problems.push(
      importProblem(1, ENROLMENT_FIELD_LABELS[missing], { code: 'missing_exit_column', params: {} }),
    );
  }
  return map;
}

/** The heading to name in a problem: as written in the file, else the Swedish label. */
export function columnName(map: ColumnMap, field: ImportField): string {
  return map.heading[field] ?? ENROLMENT_FIELD_LABELS[field];
}
