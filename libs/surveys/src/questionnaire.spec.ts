import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadQuestionnaireFiles, questionnaireHash } from './questionnaire-catalogue.service';
import { parseQuestionnaire, QuestionnaireError, validateQuestionnaire } from './questionnaire';

const valid = () => ({
  id: 'test-staff-2021',
  respondentGroup: 'staff',
  title: 'Personal',
  validFrom: 2021,
  scales: {
    extent: [
      { code: '1', label: 'Inte alls', polarity: 'negative' },
      { code: '3', label: 'Delvis', polarity: 'neutral' },
      { code: '4', label: 'Till stor del', polarity: 'positive' },
      { code: '5', label: 'Helt och hållet', polarity: 'clearly_positive' },
      { code: '0', label: 'Vet ej / ej aktuellt', polarity: 'excluded' },
    ],
  },
  questions: [
    { id: 'time-needed', text: 'Får stödet ta den tid som behövs?', indicator: 'Tid', scale: 'extent' },
    { id: 'listen', text: 'Lyssnar de på dig?', scale: 'extent' },
  ],
});

const paths = (doc: unknown) => validateQuestionnaire(doc).map((p) => p.path);

describe('validateQuestionnaire', () => {
  it('accepts the contract example', () => {
    expect(validateQuestionnaire(valid())).toEqual([]);
  });

  it('rejects a question whose scale is unknown, naming its path', () => {
    const doc = valid();
    doc.questions[1].scale = 'frequency';
    const problems = validateQuestionnaire(doc);
    expect(problems).toEqual([
      { path: '$.questions[1].scale', message: 'unknown scale "frequency"; known: extent' },
    ]);
  });

  it('rejects a duplicate question id', () => {
    const doc = valid();
    doc.questions[1].id = 'time-needed';
    expect(validateQuestionnaire(doc)).toEqual([
      { path: '$.questions[1].id', message: 'duplicate question id "time-needed"' },
    ]);
  });

  it('rejects an option without a polarity, with a list of them, or with an unknown one', () => {
    for (const polarity of [undefined, ['negative', 'neutral'], 'very_positive', '']) {
      const doc = valid() as Record<string, any>;
      doc.scales.extent[1].polarity = polarity;
      expect(paths(doc)).toEqual(['$.scales.extent[1].polarity']);
    }
  });

  it('rejects duplicate answer codes and labels within a scale', () => {
    const doc = valid();
    doc.scales.extent[2].code = '3';
    doc.scales.extent[3].label = 'delvis';
    expect(paths(doc)).toEqual(['$.scales.extent[2].code', '$.scales.extent[3].label']);
  });

  it('rejects a scale without a negative or a positive option', () => {
    const doc = valid();
    doc.scales.extent = doc.scales.extent.filter((o) => o.polarity !== 'negative');
    expect(paths(doc)).toEqual(['$.scales.extent']);
  });

  it('rejects a bad respondent group, id, title, year and unknown fields', () => {
    const doc = {
      ...valid(),
      respondentGroup: 'patients',
      id: 'Has Spaces',
      title: ' ',
      validFrom: 1899,
      extra: 1,
    };
    expect(paths(doc).sort()).toEqual(['$.extra', '$.id', '$.respondentGroup', '$.title', '$.validFrom']);
  });

  it('rejects empty scales, empty questions, a repeated question text and a non-object', () => {
    expect(paths({ ...valid(), scales: {} })).toContain('$.scales');
    expect(paths({ ...valid(), questions: [] })).toEqual(['$.questions']);
    const doc = valid();
    doc.questions[1].text = doc.questions[0].text;
    expect(paths(doc)).toEqual(['$.questions[1].text']);
    expect(paths([])).toEqual(['$']);
  });

  it('names the file and the JSON path when parsing fails', () => {
    const doc = valid();
    doc.questions[0].scale = 'nope';
    expect(() => parseQuestionnaire('config/surveys/x.json', JSON.stringify(doc))).toThrow(
      'Questionnaire config/surveys/x.json is not valid: $.questions[0].scale: unknown scale "nope"',
    );
    expect(() => parseQuestionnaire('config/surveys/y.json', '{ not json')).toThrow(
      /Questionnaire config\/surveys\/y.json is not valid: \$: is not JSON/,
    );
  });
});

describe('questionnaire files', () => {
  it('ships valid questionnaires with the published NNS questions and stable ids across years', () => {
    const all = loadQuestionnaireFiles(join(__dirname, '../../../config/surveys'));
    const byId = new Map(all.map((q) => [q.id, q]));
    expect([...byId.keys()].sort()).toEqual([
      'example-participant-ongoing',
      'nns-board-2020',
      'nns-board-2021',
      'nns-managers-2021',
      'nns-staff-2020',
      'nns-staff-2021',
    ]);
    const staff2020 = byId.get('nns-staff-2020')!.questions.map((q) => q.id);
    const staff2021 = byId.get('nns-staff-2021')!.questions.map((q) => q.id);
    expect(staff2021.slice(0, 9)).toEqual(staff2020);
    expect(staff2021).toHaveLength(11);
    expect(byId.get('nns-staff-2021')!.questions[0].text).toBe(
      'Får stödet du ger till deltagarna ta den tid som behövs?',
    );
    expect(byId.get('nns-managers-2021')!.questions).toHaveLength(8);
    expect(byId.get('example-participant-ongoing')!.title).toMatch(/^EXEMPEL/);
  });

  it('stops at an invalid file, naming it and the path inside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'surveys-'));
    const doc = valid();
    (doc.scales.extent[0] as Record<string, unknown>).polarity = 'bad';
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(doc));
    try {
      loadQuestionnaireFiles(dir);
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(QuestionnaireError);
      expect((error as Error).message).toContain('broken.json');
      expect((error as Error).message).toContain('$.scales.extent[0].polarity');
    }
  });

  it('refuses two files with the same id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'surveys-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(valid()));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(valid()));
    expect(() => loadQuestionnaireFiles(dir)).toThrow(
      /b.json is not valid: \$.id: the id "test-staff-2021" is also used by a.json/,
    );
  });

  it('hashes content regardless of key order', () => {
    const a = valid();
    const b = JSON.parse(
      JSON.stringify({
        questions: a.questions,
        scales: a.scales,
        validFrom: 2021,
        title: a.title,
        respondentGroup: 'staff',
        id: a.id,
      }),
    );
    expect(questionnaireHash(b)).toBe(questionnaireHash(a as never));
  });
});
