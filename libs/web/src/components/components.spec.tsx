import { renderDocument } from '../render';
import { BarChart } from './bar-chart';
import { ErrorSummary, Radios, TextInput } from './forms';
import { DataTable } from './tables';

describe('page components', () => {
  it('links each error of the summary to its field, and marks the field invalid with its message', () => {
    const html = renderDocument(
      <div>
        <ErrorSummary errors={[{ field: 'age', message: 'Ange ålder' }]} />
        <TextInput name="age" label="Ålder" value="<b>x</b>" error="Ange ålder" />
      </div>,
    );
    expect(html).toContain('href="#field-age"');
    expect(html).toContain('id="field-age"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="field-age-error"');
    expect(html).toContain('value="&lt;b>x&lt;/b>"');
  });

  it('gives the first radio of a group the id the summary links to, and keeps the chosen value', () => {
    const html = renderDocument(
      <Radios
        name="gender"
        legend="Kön"
        value="man"
        options={[
          { value: 'woman', label: 'Kvinna' },
          { value: 'man', label: 'Man' },
        ]}
      />,
    );
    expect(html).toContain('<legend>Kön</legend>');
    expect(html).toMatch(/id="field-gender" name="gender" value="woman"/);
    expect(html).toMatch(/value="man" checked/);
  });

  it('marks count cells with the value shown, masked or not, and not goals or shares', () => {
    const html = renderDocument(
      <DataTable
        caption="T"
        columns={[
          { key: 'name', label: 'Namn', kind: 'text' },
          { key: 'n', label: 'Antal', kind: 'count' },
          { key: 'goal', label: 'Mål', kind: 'goal' },
          { key: 'share', label: 'Andel', kind: 'share' },
        ]}
        rows={[{ name: 'A', n: '<3', goal: 2, share: 0.5 }]}
      />,
    );
    expect(html).toContain('<caption>T</caption>');
    expect(html).toContain('<th scope="row">A</th>');
    expect(html).toContain('data-count="&lt;3"');
    expect(html.match(/data-count/g)).toHaveLength(1);
    expect(html).toContain('50 %');
  });

  it('draws a chart as SVG with a title, a bar per value and a text label per bar, withheld values without a bar', () => {
    const html = renderDocument(
      <BarChart
        id="c"
        title="Deltagare"
        categories={['A', 'B']}
        series={[{ name: 'Kvinnor', values: [10, '<3'] }]}
      />,
    );
    expect(html).toContain('<title id="c-title">Deltagare</title>');
    expect(html).toContain('role="img"');
    expect(html).toContain('>K 10<');
    expect(html).toContain('>K &lt;3<');
    expect(html).not.toContain('style=');
  });
});
