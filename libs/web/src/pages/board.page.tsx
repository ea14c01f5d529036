import { GENDER_PLURAL_LABELS, REPORT_LABELS, WEB_LABELS as W } from '@app/domain';
import type { AssociationView } from '@app/registry/registry.dto';
import { BarChart } from '../components/bar-chart';
import { Select, SubmitButton } from '../components/forms';
import { Layout } from '../components/layout';
import { DataTable, Freshness } from '../components/tables';
import { periodLabel } from '../period-choices';
import type { WebSession } from '../web-session.service';
import { SurveyResults, type SurveyReport } from '../components/survey-results';

const B = W.board;
type Value = number | string | null;

export interface BoardInsats {
  name: string;
  goals: { participants: Value; newParticipants: Value; shareWork: Value; shareOrdinary: Value };
  outcome: { participants: Value; newParticipants: Value; shareWork: Value; shareOrdinary: Value };
  women: Value;
  men: Value;
}

export interface BoardDashboard {
  association: AssociationView;
  associations: AssociationView[];
  period: string;
  periods: { value: string; label: string }[];
  asOf: string | null;
  fresh: boolean;
  threshold: number;
  standOut: string[];
  insatser: BoardInsats[];
  trend: { quarter: string; women: Value; men: Value; total: Value }[];
}

export function BoardPage(props: {
  session: WebSession;
  flash?: string | null;
  data: BoardDashboard;
  /** The indicator surveys of the period's year, always with board disclosure. */
  surveys?: SurveyReport | null;
}) {
  const { session, flash, data: d, surveys } = props;
  const title = B.title(d.association.name);
  return (
    <Layout title={title} session={session} flash={flash}>
      <h1>{title}</h1>
      <p class="lead">
        {W.reports.period}: {periodLabel(d.period)}
      </p>
      <Freshness asOf={d.asOf} fresh={d.fresh} />
      <form method="get" action={`/styrelse/${d.association.id}`} class="filters no-print">
        {d.associations.length > 1 ? (
          <Select
            name="forbund"
            label={B.chooseAssociation}
            value={d.association.id}
            options={d.associations.map((a) => ({ value: a.id, label: a.name }))}
          />
        ) : null}
        <Select name="period" label={B.period} value={d.period} options={d.periods} />
        <div class="field">
          <SubmitButton secondary>{W.show}</SubmitButton>
        </div>
      </form>
      <section aria-labelledby="stand-out-title" class="stand-out">
        <h2 id="stand-out-title">{B.standsOut}</h2>
        <ul>
          {d.standOut.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>
      {d.insatser.length === 0 ? <p>{B.noInterventions}</p> : null}
      <section aria-labelledby="goals-title">
        <h2 id="goals-title">{B.goalsTitle}</h2>
        <BarChart
          id="chart-goals"
          title={B.goalsChart}
          categories={d.insatser.map((i) => i.name)}
          series={[
            { name: B.goal, values: d.insatser.map((i) => i.goals.participants) },
            { name: B.outcome, values: d.insatser.map((i) => i.outcome.participants) },
          ]}
        />
        <DataTable
          id="board-goals"
          caption={B.goalsTitle}
          columns={[
            { key: 'name', label: W.reports.intervention, kind: 'text' },
            { key: 'goalParticipants', label: B.columns.goalParticipants, kind: 'goal' },
            { key: 'participants', label: B.columns.participants, kind: 'count' },
            { key: 'goalNew', label: B.columns.goalNew, kind: 'goal' },
            { key: 'newParticipants', label: B.columns.newParticipants, kind: 'count' },
            { key: 'goalShareWork', label: B.columns.goalShareWork, kind: 'share' },
            { key: 'shareWork', label: B.columns.shareWork, kind: 'share' },
            { key: 'goalShareOrdinary', label: B.columns.goalShareOrdinary, kind: 'share' },
            { key: 'shareOrdinary', label: B.columns.shareOrdinary, kind: 'share' },
          ]}
          rows={d.insatser.map((i) => ({
            name: i.name,
            goalParticipants: i.goals.participants,
            participants: i.outcome.participants,
            goalNew: i.goals.newParticipants,
            newParticipants: i.outcome.newParticipants,
            goalShareWork: i.goals.shareWork,
            shareWork: i.outcome.shareWork,
            goalShareOrdinary: i.goals.shareOrdinary,
            shareOrdinary: i.outcome.shareOrdinary,
          }))}
        />
      </section>
      <section aria-labelledby="gender-title">
        <h2 id="gender-title">{B.genderTitle}</h2>
        <BarChart
          id="chart-gender"
          title={B.genderChart}
          categories={d.insatser.map((i) => i.name)}
          series={[
            { name: GENDER_PLURAL_LABELS.woman, values: d.insatser.map((i) => i.women) },
            { name: GENDER_PLURAL_LABELS.man, values: d.insatser.map((i) => i.men) },
          ]}
        />
        <DataTable
          id="board-gender"
          caption={B.genderChart}
          columns={[
            { key: 'name', label: W.reports.intervention, kind: 'text' },
            { key: 'women', label: GENDER_PLURAL_LABELS.woman, kind: 'count' },
            { key: 'men', label: GENDER_PLURAL_LABELS.man, kind: 'count' },
          ]}
          rows={d.insatser.map((i) => ({ name: i.name, women: i.women, men: i.men }))}
        />
      </section>
      <section aria-labelledby="trend-title">
        <h2 id="trend-title">{B.trendTitle}</h2>
        <BarChart
          id="chart-trend"
          title={B.trendChart}
          categories={d.trend.map((t) => periodLabel(t.quarter))}
          series={[
            { name: GENDER_PLURAL_LABELS.woman, values: d.trend.map((t) => t.women) },
            { name: GENDER_PLURAL_LABELS.man, values: d.trend.map((t) => t.men) },
          ]}
        />
        <DataTable
          id="board-trend"
          caption={B.trendChart}
          columns={[
            { key: 'quarter', label: B.quarter, kind: 'text' },
            { key: 'women', label: GENDER_PLURAL_LABELS.woman, kind: 'count' },
            { key: 'men', label: GENDER_PLURAL_LABELS.man, kind: 'count' },
            { key: 'total', label: REPORT_LABELS.total, kind: 'count' },
          ]}
          rows={d.trend.map((t) => ({
            quarter: periodLabel(t.quarter),
            women: t.women,
            men: t.men,
            total: t.total,
          }))}
        />
      </section>
      {surveys ? <SurveyResults report={surveys} /> : null}
      <section aria-labelledby="disclosure-title">
        <h2 id="disclosure-title">{B.disclosureTitle}</h2>
        <p>{B.disclosure(d.threshold)}</p>
      </section>
      <p class="no-print hint">{B.printHint}</p>
    </Layout>
  );
}
