import { renderDocument } from '../render';
import { SurveyResults, surveyRows, type SurveyReport } from './survey-results';

const shares = { negative: 0.25, neutral: 0.25, positive: 0.5, clearlyPositive: 0.25 };
const group: SurveyReport['groups'][number] = {
  respondentGroup: 'staff',
  invited: 10,
  responses: 4,
  responseRate: 0.4,
  previousYear: { invited: 8, responses: 2, responseRate: 0.25 },
  questions: [
    { questionId: 'a', text: 'Fråga A', answers: 4, shares, previousYear: { withheld: true } },
    { questionId: 'b', text: 'Fråga B', answers: null, shares: null, previousYear: null },
  ],
};

describe('survey results table', () => {
  it('lays out the group row, last year under it, each question with last year, and withheld questions as <k', () => {
    const rows = surveyRows(group, 2026, 3);
    expect(rows.map((r) => [r.question, r.year])).toEqual([
      ['Hela gruppen', '2026'],
      ['Hela gruppen', '2025'],
      ['Fråga A', '2026'],
      ['Fråga A', '2025'],
      ['Fråga B', '2026'],
    ]);
    expect(rows[0]).toMatchObject({ invited: 10, responses: 4, responseRate: 0.4 });
    expect(rows[2]).toMatchObject({ answers: 4, positive: 0.5, clearlyPositive: 0.25 });
    expect(rows[3]).toEqual({ question: 'Fråga A', year: '2025', answers: '<3' });
    expect(rows[4]).toEqual({ question: 'Fråga B', year: '2026', answers: '<3' });
  });

  it('renders one captioned table per group, the board note only with disclosure control', () => {
    const report: SurveyReport = { year: 2026, asOf: null, fresh: true, groups: [group] };
    const exact = renderDocument(<SurveyResults report={report} />);
    expect(exact).toContain(
      '<caption id="survey-staff-caption">Personal i insatserna, 2026 och året före</caption>',
    );
    expect(exact).toContain('50 %');
    expect(exact).not.toContain('färre än');
    const masked = renderDocument(
      <SurveyResults report={{ ...report, disclosureControl: { threshold: 3 } }} />,
    );
    expect(masked).toContain('En fråga med färre än 3 svar');
    expect(renderDocument(<SurveyResults report={{ ...report, groups: [] }} />)).toContain(
      'Inga enkätsvar för året.',
    );
  });
});
