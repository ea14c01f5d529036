import { mapColumns } from './import-columns';
import { ImportRowChecker, type ImportContext } from './import-row';

const context: ImportContext = {
  today: '2026-01-15',
  interventions: new Map([
    [
      'unga till arbete',
      {
        id: 'i-1',
        name: 'Unga till arbete',
        startsOn: '2023-01-01',
        endsOn: null,
        kind: 'individual',
        inScope: true,
      },
    ],
  ]),
  municipalities: new Map([
    ['0136', '0136'],
    ['haninge', '0136'],
  ]),
};

describe('import columns and rows', () => {
  it('maps API names and Swedish labels, whatever the case and spacing', () => {
    const map = mapColumns([
      'participantCode',
      ' insats ',
      'STARTDATUM',
      'Anvisande part',
      'kön',
      'ageBand',
      'Kommun',
    ]);
    expect(map.problems).toEqual([]);
    expect(map.index).toMatchObject({
      participantCode: 0,
      intervention: 1,
      startedOn: 2,
      gender: 4,
      ageBand: 5,
    });
  });

  it('never echoes a heading that looks like a personal number: the column is named by position', () => {
    const map = mapColumns(['Deltagarkod', '19850312-1234', 'Kön']);
    const problem = map.problems.find((p) => p.code === 'personal_number');
    expect(problem).toMatchObject({ row: 1, column: '#2' });
    expect(JSON.stringify(map.problems)).not.toContain('1234');
  });

  it('names missing, unknown and doubled columns', () => {
    const map = mapColumns(['Deltagarkod', 'Deltagarkod', 'Personnummer', 'Slutdatum']);
    expect(map.problems.map((p) => `${p.column}: ${p.message}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Deltagarkod: the column appears twice/),
        expect.stringMatching(/^Personnummer: unknown column/),
        'Insats: the column is missing',
        expect.stringMatching(/^Åldersgrupp: the column is missing/),
        expect.stringMatching(/^Avslutsorsak: the column is missing/),
      ]),
    );
  });

  it('turns labels, names and ages into codes and a band', () => {
    const columns = mapColumns([
      'Deltagarkod',
      'Insats',
      'Startdatum',
      'Anvisande part',
      'Kön',
      'Ålder',
      'Kommun',
      'Försörjning vid start',
    ]);
    const checker = new ImportRowChecker(columns, context);
    const { row, problems } = checker.check(2, [
      'A-1',
      'Unga  till ARBETE',
      '2024-01-02',
      'KAA (kommunalt aktivitetsansvar)',
      'kvinna',
      '19',
      'haninge',
      'Lön | A-kassa',
    ]);
    expect(problems).toEqual([]);
    expect(row).toEqual({
      rowNo: 2,
      interventionId: 'i-1',
      participantCode: 'A-1',
      startedOn: '2024-01-02',
      referringParty: 'municipal_activity_responsibility',
      gender: 'woman',
      ageBand: '19-20',
      municipality: '0136',
      educationLevel: 'unspecified',
      incomeSupportAtStart: ['salary', 'unemployment_benefit'],
      exitedOn: null,
      exitReason: null,
      incomeSupportAtExit: null,
    });
  });

  it('rejects a personnummer in any cell without echoing it', () => {
    const columns = mapColumns([
      'Deltagarkod',
      'Insats',
      'Startdatum',
      'Anvisande part',
      'Kön',
      'Åldersgrupp',
      'Kommun',
    ]);
    const { row, problems } = new ImportRowChecker(columns, context).check(2, [
      'A',
      'Unga till arbete',
      '2024-01-02',
      'Skolan',
      'Man',
      '16-18',
      '19850412-1234',
    ]);
    expect(row).toBeNull();
    expect(problems).toEqual([
      {
        row: 2,
        column: 'Kommun',
        code: 'personal_number',
        params: {},
        message: expect.stringMatching(/personnummer/),
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain('1234');
  });

  it('gives every problem a code and the values its text names', () => {
    const columns = mapColumns([
      'Deltagarkod',
      'Insats',
      'Startdatum',
      'Anvisande part',
      'Kön',
      'Ålder',
      'Kommun',
      'Slutdatum',
      'Avslutsorsak',
    ]);
    const { problems } = new ImportRowChecker(columns, context).check(5, [
      'A',
      'Unga till arbete',
      '2022-12-01',
      'Grannen',
      'Kvinna',
      '70',
      'Atlantis',
      '2024-02-30',
      '',
    ]);
    expect(problems.map(({ column, code, params }) => ({ column, code, params }))).toEqual([
      {
        column: 'Anvisande part',
        code: 'unknown_value',
        params: { value: 'Grannen', vocabulary: 'referringParty' },
      },
      { column: 'Kommun', code: 'unknown_municipality', params: { value: 'Atlantis' } },
      { column: 'Ålder', code: 'age_out_of_range', params: { min: 16, max: 66 } },
      { column: 'Slutdatum', code: 'invalid_date', params: { value: '2024-02-30' } },
      { column: 'Avslutsorsak', code: 'required_with', params: { other: 'Slutdatum' } },
      { column: 'Startdatum', code: 'before_intervention_start', params: { date: '2023-01-01' } },
    ]);
  });
});
