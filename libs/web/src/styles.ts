// The pages' one stylesheet, served at /web/app.css. Contrast at least 4.5:1, a thick visible focus,
// nothing wider than the viewport (200 % zoom reflows), and a print layout for the board handout.
export const APP_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 100%; line-height: 1.5; color: #0b0c0c; background: #ffffff; }
body { margin: 0; overflow-wrap: anywhere; }
.container { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
a { color: #1d4f91; text-decoration: underline; text-underline-offset: 0.15em; }
a:visited { color: #4c2c92; }
a:hover { color: #003078; text-decoration-thickness: 3px; }
:focus-visible { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
a:focus-visible { background: #ffdd00; color: #0b0c0c; box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; outline: none; text-decoration: none; }
main:focus { outline: none; }
.skip-link { position: absolute; left: -9999px; top: 0; padding: 0.5rem 1rem; background: #ffdd00; color: #0b0c0c; z-index: 10; }
.skip-link:focus { left: 0.5rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.site-header { background: #0b0c0c; color: #ffffff; border-bottom: 8px solid #1d70b8; margin-bottom: 1.5rem; }
.header-inner { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0.5rem; padding-top: 0.75rem; padding-bottom: 0.75rem; }
.service-name, .service-name:visited { color: #ffffff; font-weight: 700; font-size: 1.25rem; text-decoration: none; }
.account { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
.inline-form { display: inline; margin: 0; }
.button-link { background: none; border: 0; padding: 0; color: #ffffff; text-decoration: underline; font: inherit; cursor: pointer; }
.button-link:focus-visible { background: #ffdd00; color: #0b0c0c; }
.main-nav ul { list-style: none; margin: 0; padding: 0 0 0.75rem; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.main-nav a, .main-nav a:visited { color: #ffffff; font-weight: 600; }
.main-nav a:focus-visible { color: #0b0c0c; }
.breadcrumbs ol { list-style: none; padding: 0; margin: 0 0 1rem; display: flex; flex-wrap: wrap; gap: 0.25rem; font-size: 0.95rem; }
.breadcrumbs li + li::before { content: "›"; margin: 0 0.4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.5rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
p, li { max-width: 46rem; }
.lead { font-size: 1.15rem; }
.hint { color: #484949; margin: 0 0 0.25rem; }
.field { margin-bottom: 1.5rem; }
.field label, legend { display: block; font-weight: 700; margin-bottom: 0.25rem; }
fieldset { border: 0; padding: 0; margin: 0; min-width: 0; }
legend { padding: 0; font-size: 1.1rem; }
.field-has-error { border-left: 5px solid #d4351c; padding-left: 0.75rem; }
.field-error { color: #d4351c; font-weight: 700; margin: 0 0 0.25rem; }
.input, .select { font: inherit; padding: 0.35rem 0.5rem; border: 2px solid #0b0c0c; border-radius: 0; max-width: 100%; background: #ffffff; color: #0b0c0c; }
.input-long { width: 30rem; } .input-medium { width: 16rem; } .input-short { width: 8rem; }
.select { min-width: 12rem; }
.field-has-error .input, .field-has-error .select { border-color: #d4351c; }
.input:focus, .select:focus { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: inset 0 0 0 2px #0b0c0c; }
.choices { display: grid; gap: 0.4rem; }
.choices-inline { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; }
.choice { display: flex; align-items: flex-start; gap: 0.5rem; }
.choice input { width: 1.4rem; height: 1.4rem; margin: 0.1rem 0 0; flex: none; accent-color: #0b0c0c; }
.choice label { font-weight: 400; margin: 0; }
.button { font: inherit; font-weight: 700; background: #00703c; color: #ffffff; border: 2px solid transparent; box-shadow: 0 2px 0 #002d18; padding: 0.5rem 1rem; cursor: pointer; margin: 0 0.75rem 0.75rem 0; display: inline-block; text-decoration: none; }
a.button, a.button:visited { color: #ffffff; }
.button:hover { background: #005a30; }
.button:focus-visible { background: #ffdd00; color: #0b0c0c; box-shadow: 0 2px 0 #0b0c0c; outline: 3px solid #ffdd00; }
.button-secondary, a.button-secondary, a.button-secondary:visited { background: #f3f2f1; color: #0b0c0c; box-shadow: 0 2px 0 #929191; }
.button-secondary:hover { background: #dbdad9; }
.button-warning { background: #d4351c; box-shadow: 0 2px 0 #55150b; }
.button-warning:hover { background: #aa2a16; }
.error-summary { border: 5px solid #d4351c; padding: 1rem 1.25rem; margin-bottom: 2rem; }
.error-summary:focus { outline: 3px solid #ffdd00; }
.error-summary h2 { margin-top: 0; font-size: 1.3rem; }
.error-summary a, .error-summary a:visited { color: #d4351c; font-weight: 700; }
.notice-success { border: 5px solid #00703c; padding: 0.5rem 1.25rem; margin-bottom: 1.5rem; }
.notice-success p { margin: 0.5rem 0; font-weight: 700; }
.warning-text { border-left: 5px solid #0b0c0c; padding-left: 1rem; font-weight: 700; }
.freshness { margin: 0 0 1rem; }
.tag { display: inline-block; padding: 0.1rem 0.5rem; background: #cce2d8; color: #005a30; font-weight: 700; }
.freshness-pending .tag { background: #fff7bf; color: #594d00; }
.table-scroll { position: relative; max-width: 100%; overflow-x: auto; margin-bottom: 2rem; }
.data-table { border-collapse: collapse; font-size: 0.95rem; min-width: 20rem; }
.data-table caption { text-align: left; font-weight: 700; font-size: 1.15rem; padding-bottom: 0.5rem; }
.data-table th, .data-table td { border-bottom: 1px solid #b1b4b6; padding: 0.4rem 0.6rem 0.4rem 0; text-align: left; vertical-align: top; overflow-wrap: break-word; }
/* Cells keep whole words (the body's overflow-wrap: anywhere would squeeze a text column to one letter a line); a wide table scrolls in .table-scroll, as WCAG 1.4.10 allows for data tables. */
.data-table th:first-child, .data-table td:first-child { min-width: 9rem; }
.data-table thead th { border-bottom: 2px solid #0b0c0c; }
.data-table .numeric { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }
.summary-list { display: grid; grid-template-columns: minmax(8rem, 16rem) 1fr; gap: 0.25rem 1rem; margin: 0 0 1.5rem; }
.summary-list dt { font-weight: 700; }
.summary-list dd { margin: 0; }
.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
.card { border: 1px solid #b1b4b6; border-top: 5px solid #1d70b8; padding: 0.75rem 1rem; max-width: none; }
.card h2, .card h3 { margin-top: 0; font-size: 1.2rem; }
.figures { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0; }
.figures div { display: flex; flex-direction: column-reverse; }
.figures dd { margin: 0; font-size: 1.6rem; font-weight: 700; }
.figures dt { font-size: 0.9rem; }
.stand-out { border-left: 5px solid #1d70b8; padding: 0.25rem 1rem; background: #f3f2f1; }
.chart { margin: 0 0 1rem; max-width: 100%; }
.chart-svg { width: 100%; max-width: 44rem; height: auto; }
.filters { display: flex; flex-wrap: wrap; gap: 0 1.5rem; align-items: flex-end; }
.pagination ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
@media (max-width: 40rem) { h1 { font-size: 1.6rem; } .summary-list { grid-template-columns: 1fr; } .input-long, .input-medium { width: 100%; } }
@media print {
  @page { size: A4; margin: 15mm; }
  html { font-size: 10.5pt; }
  .site-header, .skip-link, .breadcrumbs, .no-print, form, .button { display: none !important; }
  .container { max-width: none; padding: 0; }
  a { color: #0b0c0c; text-decoration: none; }
  h2 { break-after: avoid; margin-top: 1rem; }
  .table-scroll { overflow: visible; }
  .data-table, .chart, figure { break-inside: avoid; }
  .chart-svg { max-width: 100%; }
  .print-only { display: block !important; }
}
.print-only { display: none; }
`;
