// Which column of the file holds which field: the API field name or the Swedish label of the UI.
import { ENROLMENT_FIELD_LABELS } from '@app/domain';
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
  problems: { column: string; message: string }[];
}

export function mapColumns(header: string[]): ColumnMap {
  const map: ColumnMap = { index: {}, heading: {}, problems: [] };
  header.forEach((raw, i) => {
    const heading = raw.trim();
    if (heading === '') return;
    const field = BY_NAME.get(normalise(heading));
    if (!field) {
      map.problems.push({
        column: heading.slice(0, 60),
        message: `unknown column; use the API field names or the Swedish labels (${IMPORT_FIELDS.map((f) => ENROLMENT_FIELD_LABELS[f]).join(', ')})`,
      });
    } else if (map.index[field] !== undefined) {
      map.problems.push({
        column: heading,
        message: `the column appears twice (also as "${map.heading[field]}")`,
      });
    } else {
      map.index[field] = i;
      map.heading[field] = heading;
    }
  });
  for (const field of REQUIRED_FIELDS) {
    if (map.index[field] === undefined) {
      map.problems.push({ column: ENROLMENT_FIELD_LABELS[field], message: 'the column is missing' });
    }
  }
  if (map.index.age === undefined && map.index.ageBand === undefined) {
    map.problems.push({
      column: ENROLMENT_FIELD_LABELS.ageBand,
      message: `the column is missing (give ${ENROLMENT_FIELD_LABELS.age} or ${ENROLMENT_FIELD_LABELS.ageBand})`,
    });
  }
  if ((map.index.exitedOn === undefined) !== (map.index.exitReason === undefined)) {
    const missing = map.index.exitedOn === undefined ? 'exitedOn' : 'exitReason';
    map.problems.push({
      column: ENROLMENT_FIELD_LABELS[missing],
      message: `the column is missing (an exit needs both ${ENROLMENT_FIELD_LABELS.exitedOn} and ${ENROLMENT_FIELD_LABELS.exitReason})`,
    });
  }
  return map;
}

/** The heading to name in a problem: as written in the file, else the Swedish label. */
export function columnName(map: ColumnMap, field: ImportField): string {
  return map.heading[field] ?? ENROLMENT_FIELD_LABELS[field];
}
