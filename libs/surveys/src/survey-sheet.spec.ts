import { surveySheet } from './survey-sheet';

const shares = (negative: number, neutral: number, positive: number, clearlyPositive: number) => ({
  negative,
  neutral,
  positive,
  clearlyPositive,
});

describe('surveySheet', () => {
  it('lays the results out as the published table, last year’s row under this year’s', () => {
    const sheet = surveySheet({
      year: 2021,
      groups: [
        {
          respondentGroup: 'staff',
          invited: 40,
          responses: 32,
          responseRate: 0.8,
          previousYear: { invited: 35, responses: 27, responseRate: 27 / 35 },
          questions: [
            {
              text: 'Får stödet du ger till deltagarna ta den tid som behövs?',
              answers: 32,
              shares: shares(1 / 32, 1 / 32, 30 / 32, 21 / 32),
              previousYear: { answers: 25, shares: shares(0.04, 0.12, 0.84, 0.56) },
            },
            { text: 'Ny fråga 2021', answers: 30, shares: shares(0, 0, 1, 0.5), previousYear: null },
          ],
        },
      ],
    });
    expect(sheet.name).toBe('Indikatorenkäter');
    expect(sheet.columns.map((c) => c.label)).toEqual([
      'Respondentgrupp',
      'Fråga',
      'År',
      'Negativt',
      'Varken eller',
      'Positivt',
      '(Klart positivt)',
      'Antal svar',
      'Inbjudna',
      'Svar',
      'Svarsfrekvens',
    ]);
    expect(sheet.rows).toEqual([
      {
        group: 'Personal i insatserna',
        question: '',
        year: 2021,
        invited: 40,
        responses: 32,
        responseRate: 0.8,
      },
      { group: '', question: '', year: 2020, invited: 35, responses: 27, responseRate: 27 / 35 },
      {
        group: '',
        question: 'Får stödet du ger till deltagarna ta den tid som behövs?',
        year: 2021,
        negative: 0.03125,
        neutral: 0.03125,
        positive: 0.9375,
        clearlyPositive: 0.65625,
        answers: 32,
      },
      {
        group: '',
        question: '',
        year: 2020,
        negative: 0.04,
        neutral: 0.12,
        positive: 0.84,
        clearlyPositive: 0.56,
        answers: 25,
      },
      {
        group: '',
        question: 'Ny fråga 2021',
        year: 2021,
        negative: 0,
        neutral: 0,
        positive: 1,
        clearlyPositive: 0.5,
        answers: 30,
      },
    ]);
  });

  it('shows "<k" instead of the figures of a withheld question', () => {
    const sheet = surveySheet({
      year: 2021,
      disclosureControl: { threshold: 3 },
      groups: [
        {
          respondentGroup: 'board',
          invited: 7,
          responses: 2,
          responseRate: 2 / 7,
          previousYear: null,
          questions: [{ text: 'Fråga', answers: null, shares: null, previousYear: { withheld: true } }],
        },
      ],
    });
    expect(sheet.rows.slice(1)).toEqual([
      { group: '', question: 'Fråga', year: 2021, answers: '<3' },
      { group: '', question: '', year: 2020, answers: '<3' },
    ]);
  });
});
