// The problems a file import reports, as stable codes with the values their text names. The API words them
// in English (libs/imports, libs/surveys), the web in Swedish (labels.sv.ts); both from the same code, so
// no page parses an English sentence. A personal-number problem never carries the cell's value.

type None = Record<string, never>;

/** The enrolment rules of the API (libs/registry enrolment-rules.ts), which an imported row breaks alike. */
export interface EnrolmentRuleParams {
  date_in_future: None;
  before_intervention_start: { date: string };
  after_intervention_end: { date: string };
  exit_before_start: { date: string };
  age_both: None;
  age_required: None;
}

/** The code lists an imported cell is matched against (libs/imports import-values.ts). */
export const IMPORT_VOCABULARIES = [
  'gender',
  'referringParty',
  'ageBand',
  'educationLevel',
  'incomeSupport',
  'exitReason',
] as const;
export type ImportVocabulary = (typeof IMPORT_VOCABULARIES)[number];

/** A problem of one row and column of an enrolment import (the header is row 1). */
export interface ImportProblemParams extends EnrolmentRuleParams {
  unknown_column: None;
  duplicate_column: { other: string };
  missing_column: None;
  missing_age_column: None;
  missing_exit_column: None;
  personal_number: None;
  required: None;
  required_with: { other: string };
  unknown_value: { value: string; vocabulary: ImportVocabulary };
  invalid_date: { value: string };
  participant_code_format: None;
  age_out_of_range: { min: number; max: number };
  exit_support_without_exit: None;
  unknown_intervention: { value: string };
  intervention_out_of_scope: { name: string };
  intervention_structural: { name: string };
  unknown_municipality: { value: string };
  duplicate_in_file: { row: number };
  open_in_file: { row: number };
  differs_from_stored: None;
  open_enrolment_stored: { startedOn: string };
}
export type ImportProblemCode = keyof ImportProblemParams;

/** Why a whole enrolment import failed (nothing was stored). */
export interface ImportErrorParams {
  file_gone: None;
  uploader_inactive: None;
  columns_not_recognised: None;
  too_many_rows: { max: number };
  empty_file: None;
  no_data_rows: None;
  binary_file: None;
  unreadable_csv: { detail: string };
  unreadable_xlsx: { detail: string };
  association_out_of_scope: None;
  rows_out_of_scope: { count: number };
  enrolments_changed: None;
  rows_refused: None;
  commit_failed: None;
  not_committed_in_time: None;
}
export type ImportErrorCode = keyof ImportErrorParams;

/** A problem of a file of survey answers (libs/surveys survey-import.ts); row and column may be the whole file. */
export interface SurveyFileProblemParams {
  not_text: None;
  too_many_rows: { max: number };
  too_many_columns: { columns: number; headerRow: number; width: number };
  not_an_answer: None;
  not_on_scale: { value: string; scale: string };
  personal_number: None;
  no_header: None;
  unknown_question: { questionnaire: string };
  duplicate_question: { question: string; column: string };
  empty_file: None;
  no_answers: None;
  unreadable_csv: { error: string; detail: string };
  unreadable_xlsx: { detail: string };
  exceeds_invited: { rows: number; invited: number; responses: number; unused: number };
}
export type SurveyFileProblemCode = keyof SurveyFileProblemParams;

// The runtime lists, checked against the interfaces both ways (a code missing or extra does not compile).
const codes = <P>(all: { [C in keyof P]: true }) => Object.keys(all) as (keyof P & string)[];

export const IMPORT_PROBLEM_CODES = codes<ImportProblemParams>({
  date_in_future: true,
  before_intervention_start: true,
  after_intervention_end: true,
  exit_before_start: true,
  age_both: true,
  age_required: true,
  unknown_column: true,
  duplicate_column: true,
  missing_column: true,
  missing_age_column: true,
  missing_exit_column: true,
  personal_number: true,
  required: true,
  required_with: true,
  unknown_value: true,
  invalid_date: true,
  participant_code_format: true,
  age_out_of_range: true,
  exit_support_without_exit: true,
  unknown_intervention: true,
  intervention_out_of_scope: true,
  intervention_structural: true,
  unknown_municipality: true,
  duplicate_in_file: true,
  open_in_file: true,
  differs_from_stored: true,
  open_enrolment_stored: true,
});

export const IMPORT_ERROR_CODES = codes<ImportErrorParams>({
  file_gone: true,
  uploader_inactive: true,
  columns_not_recognised: true,
  too_many_rows: true,
  empty_file: true,
  no_data_rows: true,
  binary_file: true,
  unreadable_csv: true,
  unreadable_xlsx: true,
  association_out_of_scope: true,
  rows_out_of_scope: true,
  enrolments_changed: true,
  rows_refused: true,
  commit_failed: true,
  not_committed_in_time: true,
});

export const SURVEY_FILE_PROBLEM_CODES = codes<SurveyFileProblemParams>({
  not_text: true,
  too_many_rows: true,
  too_many_columns: true,
  not_an_answer: true,
  not_on_scale: true,
  personal_number: true,
  no_header: true,
  unknown_question: true,
  duplicate_question: true,
  empty_file: true,
  no_answers: true,
  unreadable_csv: true,
  unreadable_xlsx: true,
  exceeds_invited: true,
});

/** One coded problem: its code and the parameters of that code. */
export type Coded<P> = { [C in keyof P]: { code: C; params: P[C] } }[keyof P];
export type ImportProblemDetail = Coded<ImportProblemParams>;
export type ImportErrorDetail = Coded<ImportErrorParams>;
export type SurveyFileProblemDetail = Coded<SurveyFileProblemParams>;

/** A text for every code of a list, in one language. */
export type ProblemCatalogue<P> = { [C in keyof P]: (params: P[C]) => string };

/** The catalogue's text of a coded problem. */
export function codedText<P>(catalogue: ProblemCatalogue<P>, problem: Coded<P>): string {
  const { code, params } = problem as { code: keyof P; params: unknown };
  return (catalogue[code] as (params: unknown) => string)(params);
}

/**
 * The catalogue's text of a problem as stored or received. A problem stored before codes existed (or with a code this version
 * does not know) has none: then its own message is the text.
 */
export function problemText<P>(
  catalogue: ProblemCatalogue<P>,
  problem: { code?: string | null; params?: unknown; message: string },
): string {
  const { code } = problem;
  if (!code || !Object.hasOwn(catalogue, code)) return problem.message;
  return codedText(catalogue, { code, params: problem.params ?? {} } as Coded<P>);
}

/**
 * A CSV reader's reason without the cell it quotes: csv-parse names the field's value in one of its messages
 * ("…, value is \"…\""), and a problem must never echo a cell that may hold a personal number.
 */
export function withoutCellValue(reason: string): string {
  return reason.replace(/,? value is [\s\S]*$/, '');
}
