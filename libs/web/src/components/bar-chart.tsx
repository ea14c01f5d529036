import { WEB_LABELS as W } from '@app/domain';
import { formatCount } from '../format';

export interface ChartSeries {
  name: string;
  /** Counts; a string is a withheld value ("<3", "..") and draws no bar, only its mark. */
  values: (number | string | null)[];
}

const BAR = 14;
const GAP = 6;
const LABEL_WIDTH = 210;
const PLOT_WIDTH = 360;
const VALUE_WIDTH = 90;
const FILLS = ['#1d70b8', '#f47738', '#00703c'];

/**
 * A horizontal grouped bar chart as SVG, drawn on the server (no script). Each bar is labelled with its
 * series and value, and series differ by pattern as well as colour, so nothing is told by colour alone.
 * The same numbers are always in a table beside the chart.
 */
export function BarChart(props: { id: string; title: string; categories: string[]; series: ChartSeries[] }) {
  const { id, title, categories, series } = props;
  const numbers = series.flatMap((s) => s.values.filter((v): v is number => typeof v === 'number'));
  const max = Math.max(1, ...numbers);
  const groupHeight = series.length * (BAR + 2) + GAP * 2;
  const legendHeight = 24;
  const height = legendHeight + categories.length * groupHeight + 4;
  const width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  return (
    <figure class="chart">
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        class="chart-svg"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{W.chartDescription}</desc>
        <defs>
          <pattern
            id={`${id}-hatch`}
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" fill="#ffffff" />
            <rect width="3" height="6" fill={FILLS[1]} />
          </pattern>
          <pattern id={`${id}-dots`} width="5" height="5" patternUnits="userSpaceOnUse">
            <rect width="5" height="5" fill="#ffffff" />
            <circle cx="2.5" cy="2.5" r="1.8" fill={FILLS[2]} />
          </pattern>
        </defs>
        {series.map((s, i) => (
          <g key={s.name} transform={`translate(${LABEL_WIDTH + i * 140}, 4)`}>
            <rect width="14" height="14" fill={fillOf(id, i)} stroke="#0b0c0c" stroke-width="1" />
            <text x="20" y="12" font-size="12" fill="#0b0c0c">
              {s.name}
            </text>
          </g>
        ))}
        {categories.map((category, c) => {
          const y0 = legendHeight + c * groupHeight;
          return (
            <g key={category}>
              <text
                x={LABEL_WIDTH - 8}
                y={y0 + groupHeight / 2 + 4}
                text-anchor="end"
                font-size="12"
                fill="#0b0c0c"
              >
                {category.length > 30 ? `${category.slice(0, 29)}…` : category}
              </text>
              {series.map((s, i) => {
                const value = s.values[c];
                const y = y0 + GAP + i * (BAR + 2);
                const w =
                  typeof value === 'number' ? Math.max(value > 0 ? 2 : 0, (value / max) * PLOT_WIDTH) : 0;
                return (
                  <g key={s.name}>
                    <rect
                      x={LABEL_WIDTH}
                      y={y}
                      width={w}
                      height={BAR}
                      fill={fillOf(id, i)}
                      stroke="#0b0c0c"
                      stroke-width={w ? 1 : 0}
                    />
                    <text x={LABEL_WIDTH + w + 4} y={y + BAR - 3} font-size="11" fill="#0b0c0c">
                      {`${s.name.slice(0, 1)} ${formatCount(value)}`}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function fillOf(id: string, i: number): string {
  if (i === 1) return `url(#${id}-hatch)`;
  if (i === 2) return `url(#${id}-dots)`;
  return FILLS[0];
}
