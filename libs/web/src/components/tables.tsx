import { WEB_LABELS as W } from '@app/domain';
import type { Table } from '@app/reporting/report-tables';
import { formatCount, formatShare, formatTime } from '../format';

/** `goal`: a target (pro-rated, not a count of people), shown like a count but never marked as one. */
export type CellKind = 'text' | 'count' | 'share' | 'number' | 'goal';
export interface SimpleColumn {
  key: string;
  label: string;
  kind: CellKind;
}
type Cell = string | number | null;

function formatCell(kind: CellKind, value: Cell, row: Record<string, Cell>): string {
  if (kind === 'text') return value === null ? '' : String(value);
  if (kind === 'share') return formatShare(value);
  if (kind === 'number') return row.kind === 'share' ? formatShare(value) : formatCount(value);
  return formatCount(value);
}

/**
 * A data table with a caption, column headers and the first column as row headers. Count cells carry
 * `data-count` (their shown value) so a test can check that no small count is ever shown.
 */
export function DataTable(props: {
  caption: string;
  columns: SimpleColumn[];
  rows: Record<string, Cell>[];
  id?: string;
}) {
  const { caption, columns, rows, id } = props;
  return (
    <div
      class="table-scroll"
      role="region"
      aria-labelledby={id ? `${id}-caption` : undefined}
      tabIndex={id ? 0 : undefined}
    >
      <table class="data-table" id={id}>
        <caption id={id ? `${id}-caption` : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" class={c.kind === 'text' ? undefined : 'numeric'}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {columns.map((c, i) => {
                const value = row[c.key] ?? null;
                const shown = formatCell(c.kind, value, row);
                const isCount = c.kind === 'count' || (c.kind === 'number' && row.kind !== 'share');
                return i === 0 ? (
                  <th key={c.key} scope="row">
                    {shown}
                  </th>
                ) : (
                  <td
                    key={c.key}
                    class={c.kind === 'text' ? undefined : 'numeric'}
                    data-count={isCount ? shown : undefined}
                  >
                    {shown}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One of libs/reporting's report tables (the same ones the exports write). */
export function ReportTable({ table }: { table: Table }) {
  return (
    <DataTable id={`table-${table.id}`} caption={table.title} columns={table.columns} rows={table.rows} />
  );
}

/** "uppdaterad 10:42" or "räknas om…". */
export function Freshness({ asOf, fresh }: { asOf: string | null; fresh: boolean }) {
  const text = !fresh
    ? W.freshness.pending
    : asOf
      ? W.freshness.updated(formatTime(asOf))
      : W.freshness.never;
  return (
    <p class={`freshness${fresh ? '' : ' freshness-pending'}`} data-fresh={String(fresh)}>
      <span class="tag">{text}</span>
      {!fresh ? <span class="hint"> {W.freshness.explainPending}</span> : null}
    </p>
  );
}
