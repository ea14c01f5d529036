import {
  AGE_BANDS,
  AGE_BAND_LABELS,
  EDUCATION_LEVELS,
  EDUCATION_LEVEL_LABELS,
  EXIT_REASONS,
  EXIT_REASON_LABELS,
  GENDERS,
  GENDER_LABELS,
  INCOME_SUPPORTS,
  INCOME_SUPPORT_LABELS,
  REFERRING_PARTIES,
  REFERRING_PARTY_LABELS,
  REPORT_LABELS,
  WEB_LABELS as W,
} from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import type { EnrolmentView } from '@app/registry/enrolment.dto';
import type { InterventionView, MunicipalityView } from '@app/registry/registry.dto';
import type { ReportBody } from '@app/reporting/report-body';
import { formatCount } from '../format';
import {
  Checkboxes,
  Csrf,
  errorOf,
  optionsOf,
  Radios,
  Select,
  SubmitButton,
  TextInput,
} from '../components/forms';
import { Layout } from '../components/layout';
import { DataTable, Freshness } from '../components/tables';
import type { WebSession } from '../web-session.service';

const C = W.coordinator;
const F = W.fields;

export interface InterventionFigures {
  intervention: InterventionView;
  open: number;
  /** Null for an insats that has not started yet. */
  quarter: ReportBody | null;
}

export function CoordinatorStartPage(props: {
  session: WebSession;
  flash: string | null;
  quarterLabel: string;
  items: InterventionFigures[];
}) {
  const { session, flash, quarterLabel, items } = props;
  return (
    <Layout title={C.startTitle} session={session} flash={flash}>
      <h1>{C.startTitle}</h1>
      {items.length === 0 ? <p>{C.noInterventions}</p> : <p class="lead">{C.startIntro(quarterLabel)}</p>}
      <ul class="cards">
        {items.map(({ intervention, open, quarter }) => (
          <li class="card" key={intervention.id}>
            <h2>
              <a href={`/insatser/${intervention.id}`}>{intervention.name}</a>
            </h2>
            <dl class="figures">
              <div>
                <dt>{C.open}</dt>
                <dd data-count={formatCount(open)}>{formatCount(open)}</dd>
              </div>
              <div>
                <dt>{C.newThisQuarter}</dt>
                <dd>{formatCount(quarter?.new.total ?? null)}</dd>
              </div>
              <div>
                <dt>{C.exitedThisQuarter}</dt>
                <dd>{formatCount(quarter?.exited.total ?? null)}</dd>
              </div>
            </dl>
            {quarter ? <Freshness asOf={quarter.asOf} fresh={quarter.fresh} /> : null}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** The insats' figures of the year, shown after every save ("räknas om…" until the worker has them). */
export function FiguresOfYear({ year }: { year: ReportBody | null }) {
  if (!year) return null;
  return (
    <section aria-labelledby="figures-title">
      <h2 id="figures-title">{C.figuresTitle}</h2>
      <Freshness asOf={year.asOf} fresh={year.fresh} />
      <DataTable
        id="figures"
        caption={`${C.figuresTitle} (${year.period.code})`}
        columns={[
          { key: 'group', label: W.fields.gender, kind: 'text' },
          { key: 'active', label: REPORT_LABELS.columns.active, kind: 'count' },
          { key: 'new', label: REPORT_LABELS.columns.new, kind: 'count' },
          { key: 'exited', label: REPORT_LABELS.columns.exited, kind: 'count' },
        ]}
        rows={(['woman', 'man', 'unspecified', 'total'] as const).map((g) => ({
          group: g === 'total' ? REPORT_LABELS.total : GENDER_LABELS[g],
          active: year.active[g],
          new: year.new[g],
          exited: year.exited[g],
        }))}
      />
    </section>
  );
}

export function ParticipantListPage(props: {
  session: WebSession;
  flash: string | null;
  intervention: InterventionView;
  year: ReportBody | null;
  items: EnrolmentView[];
  status: 'open' | 'exited' | 'all';
  code: string;
  page: number;
  pages: number;
  total: number;
}) {
  const { session, flash, intervention, year, items, status, code, page, pages } = props;
  const base = `/insatser/${intervention.id}`;
  const link = (p: number) => `${base}?${new URLSearchParams({ status, sida: String(p) }).toString()}`;
  return (
    <Layout
      title={C.participantsTitle(intervention.name)}
      session={session}
      flash={flash}
      breadcrumbs={[{ href: '/', label: C.startTitle }]}
    >
      <h1>{C.participantsTitle(intervention.name)}</h1>
      <p>
        <a class="button" href={`${base}/inskrivning/ny`}>
          {C.register}
        </a>
      </p>
      <FiguresOfYear year={year} />
      <h2>{C.participantsTitle(intervention.name)}</h2>
      <form method="post" action={`${base}/sok`} class="filters" role="search">
        <Csrf token={session.csrfToken} />
        <Select
          name="status"
          label={C.statusLabel}
          value={status}
          options={[
            { value: 'open', label: C.statusOpen },
            { value: 'exited', label: C.statusExited },
            { value: 'all', label: C.statusAll },
          ]}
        />
        <TextInput name="kod" label={C.codeSearch} value={code} type="search" width="medium" />
        <div class="field">
          <SubmitButton secondary>{W.search}</SubmitButton>
        </div>
      </form>
      {items.length === 0 ? (
        <p>{C.noParticipants}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table">
            <caption>
              {C.participantsTitle(intervention.name)}, {C.pageOf(page, pages)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{C.columns.code}</th>
                <th scope="col">{C.columns.startedOn}</th>
                <th scope="col">{C.columns.gender}</th>
                <th scope="col">{C.columns.ageBand}</th>
                <th scope="col">{C.columns.status}</th>
                <th scope="col">{C.columns.exitedOn}</th>
                <th scope="col">{C.columns.exitReason}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <a href={`/inskrivningar/${e.id}`}>{e.participantCode}</a>
                  </th>
                  <td>{e.startedOn}</td>
                  <td>{GENDER_LABELS[e.gender]}</td>
                  <td>{AGE_BAND_LABELS[e.ageBand]}</td>
                  <td>{e.status === 'open' ? C.statusOpen : C.statusExited}</td>
                  <td>{e.exitedOn ?? W.none}</td>
                  <td>{e.exitReason ? EXIT_REASON_LABELS[e.exitReason] : W.none}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav class="pagination" aria-label={C.pagination}>
          <ul>
            {page > 1 ? (
              <li>
                <a href={link(page - 1)} rel="prev">
                  {C.previousPage}
                </a>
              </li>
            ) : null}
            <li>{C.pageOf(page, pages)}</li>
            {page < pages ? (
              <li>
                <a href={link(page + 1)} rel="next">
                  {C.nextPage}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </Layout>
  );
}

export type FormValues = Record<string, string | string[] | undefined>;

function municipalityOptions(all: MunicipalityView[], own: string[]) {
  const first = own.map((c) => all.find((m) => m.code === c)).filter((m): m is MunicipalityView => !!m);
  const rest = all.filter((m) => !own.includes(m.code)).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  return [...first, ...rest].map((m) => ({ value: m.code, label: `${m.name} (${m.code})` }));
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const arr = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

/** The fields of an enrolment's start, for registering and for correcting. */
function StartFields(props: {
  values: FormValues;
  errors?: FieldError[];
  municipalities: MunicipalityView[];
  intervention: InterventionView;
}) {
  const { values: v, errors, municipalities, intervention } = props;
  return (
    <>
      <TextInput
        name="participantCode"
        label={F.participantCode}
        hint={F.participantCodeHint}
        value={str(v.participantCode)}
        error={errorOf(errors, 'participantCode')}
        width="medium"
      />
      <TextInput
        name="startedOn"
        label={F.startedOn}
        hint={F.dateHint}
        inputMode="numeric"
        value={str(v.startedOn)}
        error={errorOf(errors, 'startedOn')}
        width="medium"
      />
      <Radios
        name="referringParty"
        legend={F.referringParty}
        options={optionsOf(REFERRING_PARTIES, REFERRING_PARTY_LABELS)}
        value={str(v.referringParty)}
        error={errorOf(errors, 'referringParty')}
      />
      <Radios
        name="gender"
        legend={F.gender}
        options={optionsOf(GENDERS, GENDER_LABELS)}
        value={str(v.gender)}
        error={errorOf(errors, 'gender')}
        inline
      />
      <fieldset class="field">
        <legend>{F.ageChoice}</legend>
        <TextInput
          name="age"
          label={F.age}
          hint={F.ageHint}
          inputMode="numeric"
          value={str(v.age)}
          error={errorOf(errors, 'age')}
          width="short"
        />
        <Select
          name="ageBand"
          label={F.ageBand}
          options={optionsOf(AGE_BANDS, AGE_BAND_LABELS)}
          value={str(v.ageBand)}
          placeholder={F.choose}
          error={errorOf(errors, 'ageBand')}
        />
      </fieldset>
      <Select
        name="municipality"
        label={F.municipality}
        options={municipalityOptions(municipalities, intervention.municipalities)}
        value={str(v.municipality) ?? intervention.municipalities[0]}
        error={errorOf(errors, 'municipality')}
      />
      <Radios
        name="educationLevel"
        legend={F.educationLevel}
        options={optionsOf(EDUCATION_LEVELS, EDUCATION_LEVEL_LABELS)}
        value={str(v.educationLevel)}
        error={errorOf(errors, 'educationLevel')}
      />
      <Checkboxes
        name="incomeSupportAtStart"
        legend={F.incomeSupportAtStart}
        hint={F.incomeSupportHint}
        options={optionsOf(INCOME_SUPPORTS, INCOME_SUPPORT_LABELS)}
        values={arr(v.incomeSupportAtStart)}
        error={errorOf(errors, 'incomeSupportAtStart')}
      />
    </>
  );
}

function ExitFields(props: { values: FormValues; errors?: FieldError[] }) {
  const { values: v, errors } = props;
  return (
    <>
      <TextInput
        name="exitedOn"
        label={F.exitedOn}
        hint={F.dateHint}
        inputMode="numeric"
        value={str(v.exitedOn)}
        error={errorOf(errors, 'exitedOn')}
        width="medium"
      />
      <Radios
        name="exitReason"
        legend={F.exitReason}
        options={optionsOf(EXIT_REASONS, EXIT_REASON_LABELS)}
        value={str(v.exitReason)}
        error={errorOf(errors, 'exitReason')}
      />
      <Checkboxes
        name="incomeSupportAtExit"
        legend={F.incomeSupportAtExit}
        hint={F.incomeSupportHint}
        options={optionsOf(INCOME_SUPPORTS, INCOME_SUPPORT_LABELS)}
        values={arr(v.incomeSupportAtExit)}
        error={errorOf(errors, 'incomeSupportAtExit')}
      />
    </>
  );
}

export function EnrolFormPage(props: {
  session: WebSession;
  intervention: InterventionView;
  municipalities: MunicipalityView[];
  values: FormValues;
  errors?: FieldError[];
}) {
  const { session, intervention, errors } = props;
  const title = C.enrolTitle(intervention.name);
  return (
    <Layout
      title={title}
      session={session}
      errors={errors}
      breadcrumbs={[
        { href: '/', label: C.startTitle },
        { href: `/insatser/${intervention.id}`, label: intervention.name },
      ]}
    >
      <h1>{title}</h1>
      <form method="post" action={`/insatser/${intervention.id}/inskrivning`} novalidate>
        <Csrf token={session.csrfToken} />
        <StartFields {...props} />
        <SubmitButton>{C.enrolSubmit}</SubmitButton>
        <a href={`/insatser/${intervention.id}`}>{W.cancel}</a>
      </form>
    </Layout>
  );
}

export function EnrolmentPage(props: {
  session: WebSession;
  flash: string | null;
  intervention: InterventionView;
  enrolment: EnrolmentView;
  year: ReportBody | null;
  municipalityName: string;
}) {
  const { session, flash, intervention, enrolment: e, year, municipalityName } = props;
  const rows: [string, string][] = [
    [F.participantCode, e.participantCode],
    [F.startedOn, e.startedOn],
    [F.referringParty, REFERRING_PARTY_LABELS[e.referringParty]],
    [F.gender, GENDER_LABELS[e.gender]],
    [C.columns.ageBand, AGE_BAND_LABELS[e.ageBand]],
    [F.municipality, municipalityName],
    [F.educationLevel, EDUCATION_LEVEL_LABELS[e.educationLevel]],
    [
      F.incomeSupportAtStart,
      e.incomeSupportAtStart.map((x) => INCOME_SUPPORT_LABELS[x]).join(', ') || W.none,
    ],
    [F.exitedOn, e.exitedOn ?? W.none],
    [F.exitReason, e.exitReason ? EXIT_REASON_LABELS[e.exitReason] : W.none],
    [F.incomeSupportAtExit, e.incomeSupportAtExit?.map((x) => INCOME_SUPPORT_LABELS[x]).join(', ') || W.none],
  ];
  return (
    <Layout
      title={C.enrolmentTitle(e.participantCode)}
      session={session}
      flash={flash}
      breadcrumbs={[
        { href: '/', label: C.startTitle },
        { href: `/insatser/${intervention.id}`, label: intervention.name },
      ]}
    >
      <h1>{C.enrolmentTitle(e.participantCode)}</h1>
      <dl class="summary-list">
        {rows.map(([label, value]) => (
          <>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </>
        ))}
      </dl>
      <h2>{C.actions}</h2>
      <ul class="actions">
        {e.status === 'open' ? (
          <li>
            <a class="button" href={`/inskrivningar/${e.id}/avslut`}>
              {C.exitAction}
            </a>
          </li>
        ) : null}
        <li>
          <a href={`/inskrivningar/${e.id}/rattelse`}>{C.correctAction}</a>
        </li>
        <li>
          <a href={`/inskrivningar/${e.id}/ta-bort`}>{C.removeAction}</a>
        </li>
      </ul>
      <FiguresOfYear year={year} />
    </Layout>
  );
}

export function ExitFormPage(props: {
  session: WebSession;
  intervention: InterventionView;
  enrolment: EnrolmentView;
  values: FormValues;
  errors?: FieldError[];
}) {
  const { session, intervention, enrolment, values, errors } = props;
  const title = C.exitTitle(enrolment.participantCode);
  return (
    <Layout
      title={title}
      session={session}
      errors={errors}
      breadcrumbs={[
        { href: '/', label: C.startTitle },
        { href: `/insatser/${intervention.id}`, label: intervention.name },
        { href: `/inskrivningar/${enrolment.id}`, label: enrolment.participantCode },
      ]}
    >
      <h1>{title}</h1>
      <p>
        {F.startedOn}: {enrolment.startedOn}
      </p>
      <form method="post" action={`/inskrivningar/${enrolment.id}/avslut`} novalidate>
        <Csrf token={session.csrfToken} />
        <ExitFields values={values} errors={errors} />
        <SubmitButton>{C.exitSubmit}</SubmitButton>
        <a href={`/inskrivningar/${enrolment.id}`}>{W.cancel}</a>
      </form>
    </Layout>
  );
}

export function CorrectFormPage(props: {
  session: WebSession;
  intervention: InterventionView;
  municipalities: MunicipalityView[];
  enrolment: EnrolmentView;
  values: FormValues;
  errors?: FieldError[];
}) {
  const { session, intervention, enrolment, values, errors } = props;
  const title = C.correctTitle(enrolment.participantCode);
  return (
    <Layout
      title={title}
      session={session}
      errors={errors}
      breadcrumbs={[
        { href: '/', label: C.startTitle },
        { href: `/insatser/${intervention.id}`, label: intervention.name },
        { href: `/inskrivningar/${enrolment.id}`, label: enrolment.participantCode },
      ]}
    >
      <h1>{title}</h1>
      <form method="post" action={`/inskrivningar/${enrolment.id}/rattelse`} novalidate>
        <Csrf token={session.csrfToken} />
        <StartFields
          values={values}
          errors={errors}
          municipalities={props.municipalities}
          intervention={intervention}
        />
        {enrolment.status === 'exited' ? (
          <>
            <h2>{C.statusExited}</h2>
            <ExitFields values={values} errors={errors} />
            <Checkboxes
              name="reopen"
              legend={C.reopen}
              options={[{ value: 'yes', label: C.reopen }]}
              values={Array.isArray(values.reopen) ? values.reopen : values.reopen ? [values.reopen] : []}
            />
          </>
        ) : null}
        <SubmitButton>{C.correctSubmit}</SubmitButton>
        <a href={`/inskrivningar/${enrolment.id}`}>{W.cancel}</a>
      </form>
    </Layout>
  );
}

export function RemoveConfirmPage(props: {
  session: WebSession;
  intervention: InterventionView;
  enrolment: EnrolmentView;
}) {
  const { session, intervention, enrolment } = props;
  const title = C.removeTitle(enrolment.participantCode);
  return (
    <Layout
      title={title}
      session={session}
      breadcrumbs={[
        { href: '/', label: C.startTitle },
        { href: `/insatser/${intervention.id}`, label: intervention.name },
        { href: `/inskrivningar/${enrolment.id}`, label: enrolment.participantCode },
      ]}
    >
      <h1>{title}</h1>
      <p class="warning-text">{C.removeWarning}</p>
      <form method="post" action={`/inskrivningar/${enrolment.id}/ta-bort`}>
        <Csrf token={session.csrfToken} />
        <SubmitButton warning>{C.removeConfirm}</SubmitButton>
        <a href={`/inskrivningar/${enrolment.id}`}>{W.cancel}</a>
      </form>
    </Layout>
  );
}
