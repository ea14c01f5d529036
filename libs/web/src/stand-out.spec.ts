import { standOut } from './stand-out';

const none = { woman: null, man: null };

describe('standOut', () => {
  it('names an insats below 75 % of its pro-rated participant goal, with the percentage', () => {
    const lines = standOut([
      {
        name: 'Unga Haninge',
        goals: [{ metric: 'participants', target: 100, actual: 60 }],
        shareWorkOrStudies: none,
      },
    ]);
    expect(lines).toEqual(['Unga Haninge ligger under 75 % av sitt mål för deltagare hittills i år (60 %).']);
  });

  it('says nothing about an insats at exactly 75 % of its goal', () => {
    const lines = standOut([
      {
        name: 'A',
        goals: [{ metric: 'new_participants', target: 40, actual: 30 }],
        shareWorkOrStudies: none,
      },
    ]);
    expect(lines).toEqual(['Inga insatser avviker mer än 25 % från sina mål.']);
  });

  it('never compares a withheld figure', () => {
    const lines = standOut([
      {
        name: 'Liten',
        goals: [{ metric: 'participants', target: 50, actual: '<3' }],
        shareWorkOrStudies: none,
      },
    ]);
    expect(lines).toEqual(['Inga insatser avviker mer än 25 % från sina mål.']);
  });

  it('reports a missed share goal and a gender gap of 15 points or more', () => {
    const lines = standOut([
      {
        name: 'Vuxen',
        goals: [{ metric: 'share_work_or_studies', target: 0.4, actual: 0.2 }],
        shareWorkOrStudies: { woman: 0.1, man: 0.3 },
      },
    ]);
    expect(lines).toEqual([
      'Vuxen: 20 % gick till arbete eller studier, målet är 40 %.',
      'Vuxen: 10 % av kvinnorna och 30 % av männen gick till arbete eller studier.',
    ]);
  });
});
