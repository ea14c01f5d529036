import { renderDocument } from './render';

describe('renderDocument', () => {
  it('escapes interpolated text, so user input cannot add markup', () => {
    const hostile = '<script>alert(1)</script>';
    const html = renderDocument(
      <html lang="sv">
        <body>
          <p>{hostile}</p>
        </body>
      </html>,
    );
    expect(html.startsWith('<!doctype html><html lang="sv">')).toBe(true);
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html).not.toContain('<script>');
  });
});
