// The API's English for every import problem and failure code (libs/domain import-problems.ts). The web
// words the same codes in Swedish (labels.sv.ts); both keep the message stored with the problem.
import {
  codedText,
  ENROLMENT_FIELD_LABELS,
  type ImportErrorCode,
  type ImportErrorDetail,
  type ImportErrorParams,
  type ImportProblemCode,
  type ImportProblemDetail,
  type ImportProblemParams,
  type ProblemCatalogue,
} from '@app/domain';
import { ENROLMENT_RULE_MESSAGES } from '@app/registry/enrolment-rules';
import { VOCABULARY } from './import-values';

const L = ENROLMENT_FIELD_LABELS;

export const IMPORT_PROBLEM_MESSAGES: ProblemCatalogue<ImportProblemParams> = {
  ...ENROLMENT_RULE_MESSAGES,
  unknown_column: () =>
    `unknown column; use the API field names or the Swedish labels (${Object.values(L).join(', ')})`,
  duplicate_column: ({ other }) => `the column appears twice (also as "${other}")`,
  missing_column: () => 'the column is missing',
  missing_age_column: () => `the column is missing (give ${L.age} or ${L.ageBand})`,
  missing_exit_column: () => `the column is missing (an exit needs both ${L.exitedOn} and ${L.exitReason})`,
  personal_number: () =>
    'looks like a personnummer or samordningsnummer; such numbers are never stored (use the pseudonymous code)',
  required: () => 'is required',
  required_with: ({ other }) => `is required when ${other} is given`,
  unknown_value: ({ value, vocabulary }) => `"${value}" is not one of: ${VOCABULARY[vocabulary].describe()}`,
  invalid_date: ({ value }) => `"${value}" must be a real date written YYYY-MM-DD`,
  participant_code_format: () => 'must be 1–64 letters, digits, spaces or . _ / : # -',
  age_out_of_range: ({ min, max }) => `must be a whole number of years from ${min} to ${max}`,
  exit_support_without_exit: () => 'is only given with an exit',
  unknown_intervention: ({ value }) =>
    `"${value}" is not an insats of this association (give its name or id)`,
  intervention_out_of_scope: ({ name }) => `the insats "${name}" is outside your scope`,
  intervention_structural: ({ name }) =>
    `the insats "${name}" is structural (strukturinriktad) and has no participants`,
  unknown_municipality: ({ value }) =>
    `"${value}" is not a Swedish municipality (give the SCB code or the name)`,
  duplicate_in_file: ({ row }) => `the same participant, insats and start date are already on row ${row}`,
  open_in_file: ({ row }) => `the participant already has an open enrolment in this insats on row ${row}`,
  differs_from_stored: () =>
    'differs from the stored enrolment of this participant, insats and start date; correct the file or the enrolment',
  open_enrolment_stored: ({ startedOn }) =>
    `the participant already has an open enrolment in this insats (started ${startedOn})`,
};

export const IMPORT_ERROR_MESSAGES: ProblemCatalogue<ImportErrorParams> = {
  file_gone: () => 'the file is gone',
  uploader_inactive: () => 'the uploading account is no longer active',
  columns_not_recognised: () => 'the columns of the file are not recognised',
  too_many_rows: ({ max }) => `the file has more than ${max} rows; split it into smaller files`,
  empty_file: () => 'the file is empty',
  no_data_rows: () => 'the file has a header row but no data rows',
  binary_file: () => 'the file is neither an XLSX workbook nor a CSV text file (it contains binary data)',
  unreadable_csv: ({ detail }) => `the file is not a readable CSV file: ${detail}`,
  unreadable_xlsx: ({ detail }) => `the file is not a readable XLSX workbook: ${detail}`,
  association_out_of_scope: () => 'the association is no longer in your scope',
  rows_out_of_scope: ({ count }) =>
    `${count} rows are for insatser you may no longer register in (or that became structural)`,
  enrolments_changed: () => 'enrolments changed since the file was validated; nothing was stored',
  rows_refused: () =>
    'the database refused the rows (they conflict with stored enrolments); nothing was stored',
  commit_failed: () => 'the commit failed; nothing was stored',
  not_committed_in_time: () => 'not committed in time; upload the file again',
};

/** A problem as stored and shown: row, column, its code and parameters, and the API's English message. */
export interface ImportProblem {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  row: number;
  column: string;
  message: string;
  /** Absent in problems stored before codes existed. */
  code?: ImportProblemCode;
  params?: object;
}

export function importProblem(row: number, column: string, detail: ImportProblemDetail): ImportProblem {
  return {
    row,
    column,
    code: detail.code,
    params: detail.params,
    message: codedText(IMPORT_PROBLEM_MESSAGES, detail),
  };
}

/** Why an import failed, as stored: the code, its parameters and the API's English message. */
export interface ImportFailure {
  code: ImportErrorCode;
  params: object;
  message: string;
}

export function importFailure(detail: ImportErrorDetail): ImportFailure {
  return { code: detail.code, params: detail.params, message: codedText(IMPORT_ERROR_MESSAGES, detail) };
}

/** A cell's text as a problem names it: long texts cut (the message quotes it). */
export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
