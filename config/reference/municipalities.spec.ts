import data from './municipalities.json';

// The reference list of Sweden's 290 municipalities (SCB kommunkoder) and 21 counties.
describe('config/reference/municipalities.json', () => {
  const { counties, municipalities } = data;

  it('has 290 municipalities and 21 counties', () => {
    expect(municipalities).toHaveLength(290);
    expect(counties).toHaveLength(21);
  });

  it('has unique four-digit municipality codes, sorted', () => {
    const codes = municipalities.map((m) => m.code);
    for (const code of codes) expect(code).toMatch(/^\d{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
  });

  it('has unique two-digit county codes, sorted, with unique names', () => {
    const codes = counties.map((c) => c.code);
    for (const code of codes) expect(code).toMatch(/^\d{2}$/);
    expect(new Set(codes).size).toBe(21);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(counties.map((c) => c.name)).size).toBe(21);
    for (const c of counties) expect(c.name).toMatch(/ län$/);
  });

  it('links every municipality to an existing county given by its code prefix', () => {
    const countyCodes = new Set(counties.map((c) => c.code));
    for (const m of municipalities) {
      expect(countyCodes.has(m.countyCode)).toBe(true);
      expect(m.countyCode).toBe(m.code.slice(0, 2));
    }
    // No empty county either.
    for (const c of counties) expect(municipalities.some((m) => m.countyCode === c.code)).toBe(true);
  });

  it('has unique, non-blank names', () => {
    const names = municipalities.map((m) => m.name);
    for (const name of names) expect(name.trim()).toBe(name);
    for (const name of names) expect(name.length).toBeGreaterThan(1);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([
    ['0114', 'Upplands Väsby'],
    ['0123', 'Järfälla'],
    ['0136', 'Haninge'],
    ['0138', 'Tyresö'],
    ['0139', 'Upplands-Bro'],
    ['0180', 'Stockholm'],
    ['0183', 'Sundbyberg'],
    ['0192', 'Nynäshamn'],
    ['0360', 'Tierp'],
    ['0380', 'Uppsala'],
    ['0642', 'Mullsjö'],
    ['0643', 'Habo'],
    ['0980', 'Gotland'],
    ['1280', 'Malmö'],
    ['1480', 'Göteborg'],
    ['1489', 'Alingsås'],
    ['2023', 'Malung-Sälen'],
    ['2584', 'Kiruna'],
  ])('has anchor %s %s', (code, name) => {
    expect(municipalities.find((m) => m.code === code)?.name).toBe(name);
  });

  it.each([
    ['01', 'Stockholms län', 26],
    ['03', 'Uppsala län', 8],
    ['04', 'Södermanlands län', 9],
    ['05', 'Östergötlands län', 13],
    ['06', 'Jönköpings län', 13],
    ['07', 'Kronobergs län', 8],
    ['08', 'Kalmar län', 12],
    ['09', 'Gotlands län', 1],
    ['10', 'Blekinge län', 5],
    ['12', 'Skåne län', 33],
    ['13', 'Hallands län', 6],
    ['14', 'Västra Götalands län', 49],
    ['17', 'Värmlands län', 16],
    ['18', 'Örebro län', 12],
    ['19', 'Västmanlands län', 10],
    ['20', 'Dalarnas län', 15],
    ['21', 'Gävleborgs län', 10],
    ['22', 'Västernorrlands län', 7],
    ['23', 'Jämtlands län', 8],
    ['24', 'Västerbottens län', 15],
    ['25', 'Norrbottens län', 14],
  ])('county %s %s has %i municipalities', (code, name, count) => {
    expect(counties.find((c) => c.code === code)?.name).toBe(name);
    expect(municipalities.filter((m) => m.countyCode === code)).toHaveLength(count);
  });
});
