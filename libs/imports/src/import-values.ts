// Values of an imported cell: the API code or its Swedish label (from the one label catalogue).
import {
  AGE_BAND_LABELS,
  AGE_BANDS,
  EDUCATION_LEVEL_LABELS,
  EDUCATION_LEVELS,
  EXIT_REASON_LABELS,
  EXIT_REASONS,
  GENDER_LABELS,
  GENDERS,
  INCOME_SUPPORT_LABELS,
  INCOME_SUPPORTS,
  REFERRING_PARTIES,
  REFERRING_PARTY_LABELS,
  type ImportVocabulary,
} from '@app/domain';

/** Case, surrounding and repeated spaces, and the kind of dash do not matter when matching. */
export function normalise(value: string): string {
  return value
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ');
}

export class Vocabulary<C extends string> {
  private readonly byText = new Map<string, C>();
  constructor(
    /** Its name in a problem (the web lists the Swedish labels of the same vocabulary). */
    readonly name: ImportVocabulary,
    readonly codes: readonly C[],
    private readonly labels: Record<C, string>,
  ) {
    for (const code of codes) {
      this.byText.set(normalise(code), code);
      this.byText.set(normalise(labels[code]), code);
    }
  }
  // The same few spellings repeat on every row: remember each raw text's answer (bounded).
  private readonly byRaw = new Map<string, C | undefined>();
  lookup(text: string): C | undefined {
    if (this.byRaw.has(text)) return this.byRaw.get(text);
    const found = this.byText.get(normalise(text));
    if (this.byRaw.size < 1000) this.byRaw.set(text, found);
    return found;
  }
  /** The accepted values, for a problem's message: each code with its Swedish label. */
  describe(): string {
    return this.codes.map((c) => `${c} (${this.labels[c]})`).join(', ');
  }
}

export const VOCABULARY = {
  gender: new Vocabulary('gender', GENDERS, GENDER_LABELS),
  referringParty: new Vocabulary('referringParty', REFERRING_PARTIES, REFERRING_PARTY_LABELS),
  ageBand: new Vocabulary('ageBand', AGE_BANDS, AGE_BAND_LABELS),
  educationLevel: new Vocabulary('educationLevel', EDUCATION_LEVELS, EDUCATION_LEVEL_LABELS),
  incomeSupport: new Vocabulary('incomeSupport', INCOME_SUPPORTS, INCOME_SUPPORT_LABELS),
  exitReason: new Vocabulary('exitReason', EXIT_REASONS, EXIT_REASON_LABELS),
};

/** Several income supports in one cell, separated by ',', ';' or '|'. */
export function splitList(text: string): string[] {
  return text
    .split(/[,;|]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
