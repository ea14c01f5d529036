import { WEB_LABELS as W } from '@app/domain';
import type { AssociationView, InterventionView } from '@app/registry/registry.dto';
import type { Table } from '@app/reporting/report-tables';
import { Checkboxes, Radios, Select, SubmitButton } from '../components/forms';
import { Layout } from '../components/layout';
import { Freshness, ReportTable } from '../components/tables';
import { SurveyResults, type SurveyReport } from '../components/survey-results';
import { periodLabel } from '../period-choices';
import type { WebSession } from '../web-session.service';

const R = W.reports;

export interface ReportSelection {
  typ: 'insats' | 'forbund' | 'urval' | 'region';
  forbund?: string;
  insats?: string;
  insatser: string[];
  period: string;
}

export function selectionQuery(s: ReportSelection): URLSearchParams {
  const q = new URLSearchParams({ typ: s.typ });
  if (s.typ === 'forbund' || s.typ === 'urval') q.set('forbund', s.forbund ?? '');
  if (s.typ === 'insats') q.set('insats', s.insats ?? '');
  if (s.typ === 'urval') for (const id of s.insatser) q.append('insatser', id);
  q.set('period', s.period);
  return q;
}

export function ReportPage(props: {
  session: WebSession;
  selection: ReportSelection;
  associations: AssociationView[];
  interventions: InterventionView[];
  periods: { value: string; label: string }[];
  result: { scopeName: string; asOf: string | null; fresh: boolean; tables: Table[] } | null;
  surveys?: SurveyReport | null;
}) {
  const { session, selection: s, associations, interventions, periods, result, surveys } = props;
  const assocName = (id: string) => associations.find((a) => a.id === id)?.name ?? '';
  const title = result ? `${R.title}: ${result.scopeName}, ${periodLabel(s.period)}` : R.title;
  const exportBase = `/rapporter/export?${selectionQuery(s).toString()}`;
  return (
    <Layout title={title} session={session} breadcrumbs={[{ href: '/', label: W.home }]}>
      <h1>{result ? R.reportOf(result.scopeName, periodLabel(s.period)) : R.title}</h1>
      <p>{R.intro}</p>
      <form method="get" action="/rapporter" class="no-print">
        <Radios
          name="typ"
          legend={R.scopeLegend}
          value={s.typ}
          options={[
            { value: 'forbund', label: R.scopeAssociation },
            { value: 'insats', label: R.scopeIntervention },
            { value: 'urval', label: R.scopeSet },
            { value: 'region', label: R.scopeRegion },
          ]}
        />
        <div class="filters">
          <Select
            name="forbund"
            label={R.association}
            value={s.forbund}
            options={associations.map((a) => ({ value: a.id, label: a.name }))}
          />
          <Select
            name="insats"
            label={R.intervention}
            value={s.insats}
            options={interventions.map((i) => ({
              value: i.id,
              label: `${i.name} (${assocName(i.associationId)})`,
            }))}
          />
          <Select name="period" label={R.period} value={s.period} options={periods} />
        </div>
        <Checkboxes
          name="insatser"
          legend={R.setInterventions}
          hint={R.setInterventionsHint}
          values={s.insatser}
          options={interventions.map((i) => ({
            value: i.id,
            label: `${i.name} (${assocName(i.associationId)})`,
          }))}
        />
        <SubmitButton>{R.show}</SubmitButton>
      </form>
      {result ? (
        <>
          <Freshness asOf={result.asOf} fresh={result.fresh} />
          <section aria-labelledby="exports-title" class="no-print">
            <h2 id="exports-title">{R.exportsTitle}</h2>
            <p class="hint">{R.exactNote}</p>
            <ul class="actions">
              <li>
                <a class="button button-secondary" href={`${exportBase}&format=xlsx`} download>
                  {R.exportXlsx}
                </a>
              </li>
              <li>
                <a class="button button-secondary" href={`${exportBase}&format=csv`} download>
                  {R.exportCsv}
                </a>
              </li>
              <li>
                <a
                  class="button button-secondary"
                  href={`${exportBase}&format=xlsx&publicering=true`}
                  download
                >
                  {R.exportPublication}
                </a>
              </li>
            </ul>
          </section>
          {result.tables.map((t) => (
            <ReportTable key={t.id} table={t} />
          ))}
          {surveys ? <SurveyResults report={surveys} /> : null}
        </>
      ) : null}
    </Layout>
  );
}
