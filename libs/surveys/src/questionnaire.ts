// A questionnaire is configuration (api-v1.md "Indicator surveys (v1)"); this file holds its type and the
// pure validation every source goes through (shipped files and an admin's upload alike).

export const RESPONDENT_GROUPS = [
  'participant_ongoing',
  'participant_exit',
  'staff',
  'board',
  'managers',
  'referrers',
] as const;
export type RespondentGroup = (typeof RESPONDENT_GROUPS)[number];

/** What an answer option means in the published table. `excluded` ("Vet ej") is left out of the denominator. */
export const POLARITIES = ['negative', 'neutral', 'positive', 'clearly_positive', 'excluded'] as const;
export type Polarity = (typeof POLARITIES)[number];

export interface ScaleOption {
  code: string;
  label: string;
  polarity: Polarity;
}

export interface Question {
  id: string;
  text: string;
  indicator?: string;
  scale: string;
}

export interface Questionnaire {
  id: string;
  respondentGroup: RespondentGroup;
  title: string;
  validFrom: number;
  scales: Record<string, ScaleOption[]>;
  questions: Question[];
}

export interface QuestionnaireProblem {
  /** JSON path inside the document, e.g. `$.scales.extent[2].polarity`. */
  path: string;
  message: string;
}

/** Participant groups answer about one insats, so their rounds must name exactly one. */
export const isParticipantGroup = (group: RespondentGroup) =>
  group === 'participant_ongoing' || group === 'participant_exit';

const ID = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const TOP_KEYS = ['id', 'respondentGroup', 'title', 'validFrom', 'scales', 'questions'];
const OPTION_KEYS = ['code', 'label', 'polarity'];
const QUESTION_KEYS = ['id', 'text', 'indicator', 'scale'];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= max;

function unknownKeys(
  value: Record<string, unknown>,
  allowed: string[],
  path: string,
): QuestionnaireProblem[] {
  return Object.keys(value)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ path: `${path}.${k}`, message: 'is not an allowed field' }));
}

function validateScale(name: string, options: unknown): QuestionnaireProblem[] {
  const path = `$.scales.${name}`;
  if (!Array.isArray(options) || options.length < 2)
    return [{ path, message: 'must be a list of at least two answer options' }];
  const problems: QuestionnaireProblem[] = [];
  const codes = new Set<string>();
  const labels = new Set<string>();
  options.forEach((option, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(option)) {
      problems.push({ path: at, message: 'must be an object {code, label, polarity}' });
      return;
    }
    problems.push(...unknownKeys(option, OPTION_KEYS, at));
    if (!isText(option.code, 20)) problems.push({ path: `${at}.code`, message: 'must be a short text' });
    else if (codes.has(option.code.trim().toLowerCase()))
      problems.push({ path: `${at}.code`, message: `duplicate answer code "${option.code}"` });
    else codes.add(option.code.trim().toLowerCase());
    if (!isText(option.label, 200)) problems.push({ path: `${at}.label`, message: 'must be a text' });
    else if (labels.has(option.label.trim().toLowerCase()))
      problems.push({ path: `${at}.label`, message: `duplicate answer label "${option.label}"` });
    else labels.add(option.label.trim().toLowerCase());
    // Exactly one polarity per option: a single known value, never a list or a missing one.
    if (!(POLARITIES as readonly unknown[]).includes(option.polarity))
      problems.push({
        path: `${at}.polarity`,
        message: `must be exactly one of: ${POLARITIES.join(', ')}`,
      });
  });
  if (problems.length === 0) {
    const polarities = new Set(options.map((o) => (o as ScaleOption).polarity));
    if (!polarities.has('negative') || !(polarities.has('positive') || polarities.has('clearly_positive')))
      problems.push({ path, message: 'needs at least one negative and one positive answer option' });
  }
  return problems;
}

/**
 * Checks a questionnaire document and returns every problem with its JSON path (empty: valid).
 * Rules: known fields only; id and question ids are lowercase slugs; a known respondent group; each scale a
 * list of options with unique codes and labels and exactly one known polarity each; every question names a
 * scale that exists; question ids and texts are unique within the questionnaire.
 */
export function validateQuestionnaire(doc: unknown): QuestionnaireProblem[] {
  if (!isObject(doc)) return [{ path: '$', message: 'must be a JSON object' }];
  const problems: QuestionnaireProblem[] = unknownKeys(doc, TOP_KEYS, '$');
  if (typeof doc.id !== 'string' || !ID.test(doc.id))
    problems.push({ path: '$.id', message: 'must be a lowercase id of letters, digits, ".", "_" or "-"' });
  if (!(RESPONDENT_GROUPS as readonly unknown[]).includes(doc.respondentGroup))
    problems.push({ path: '$.respondentGroup', message: `must be one of: ${RESPONDENT_GROUPS.join(', ')}` });
  if (!isText(doc.title, 300)) problems.push({ path: '$.title', message: 'must be a text' });
  if (
    !Number.isInteger(doc.validFrom) ||
    (doc.validFrom as number) < 1990 ||
    (doc.validFrom as number) > 2100
  )
    problems.push({ path: '$.validFrom', message: 'must be a year between 1990 and 2100' });

  const scaleNames = new Set<string>();
  if (!isObject(doc.scales) || Object.keys(doc.scales).length === 0)
    problems.push({ path: '$.scales', message: 'must be an object of named scales' });
  else
    for (const [name, options] of Object.entries(doc.scales)) {
      scaleNames.add(name);
      problems.push(...validateScale(name, options));
    }

  if (!Array.isArray(doc.questions) || doc.questions.length === 0)
    problems.push({ path: '$.questions', message: 'must be a non-empty list of questions' });
  else {
    const ids = new Set<string>();
    const texts = new Set<string>();
    doc.questions.forEach((question, i) => {
      const at = `$.questions[${i}]`;
      if (!isObject(question)) {
        problems.push({ path: at, message: 'must be an object {id, text, indicator?, scale}' });
        return;
      }
      problems.push(...unknownKeys(question, QUESTION_KEYS, at));
      if (typeof question.id !== 'string' || !ID.test(question.id))
        problems.push({
          path: `${at}.id`,
          message: 'must be a lowercase id of letters, digits, ".", "_" or "-"',
        });
      else if (ids.has(question.id))
        problems.push({ path: `${at}.id`, message: `duplicate question id "${question.id}"` });
      else ids.add(question.id);
      if (!isText(question.text, 1000)) problems.push({ path: `${at}.text`, message: 'must be a text' });
      else if (texts.has(question.text.trim().toLowerCase()))
        problems.push({ path: `${at}.text`, message: 'the same question text appears twice' });
      else texts.add(question.text.trim().toLowerCase());
      if (question.indicator !== undefined && !isText(question.indicator, 300))
        problems.push({ path: `${at}.indicator`, message: 'must be a text when given' });
      if (typeof question.scale !== 'string' || !scaleNames.has(question.scale))
        problems.push({
          path: `${at}.scale`,
          message: `unknown scale ${JSON.stringify(question.scale)}; known: ${[...scaleNames].join(', ') || 'none'}`,
        });
    });
  }
  return problems;
}

/** The error of a questionnaire that does not validate, naming its source and every JSON path. */
export class QuestionnaireError extends Error {
  constructor(
    readonly source: string,
    readonly problems: QuestionnaireProblem[],
  ) {
    super(
      `Questionnaire ${source} is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
}

/** Parses and validates; throws QuestionnaireError naming `source` (a file name) and the JSON path. */
export function parseQuestionnaire(source: string, text: string): Questionnaire {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new QuestionnaireError(source, [
      { path: '$', message: `is not JSON (${(error as Error).message})` },
    ]);
  }
  return checkedQuestionnaire(source, doc);
}

export function checkedQuestionnaire(source: string, doc: unknown): Questionnaire {
  const problems = validateQuestionnaire(doc);
  if (problems.length) throw new QuestionnaireError(source, problems);
  return doc as Questionnaire;
}

/** Looks an answer up by code or label (case-insensitive): paper forms and spreadsheets use either. */
export function findOption(scale: ScaleOption[], value: string): ScaleOption | undefined {
  const v = value.trim().toLowerCase();
  return scale.find((o) => o.code.toLowerCase() === v) ?? scale.find((o) => o.label.toLowerCase() === v);
}
