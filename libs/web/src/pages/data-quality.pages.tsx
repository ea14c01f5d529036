import {
  GENDER_PLURAL_LABELS,
  GENDERS,
  NATIONAL_COUNT_LABELS,
  REPORT_LABELS,
  WEB_LABELS as W,
  WEB_TOOL_LABELS,
} from '@app/domain';
import type { AssociationView } from '@app/registry/registry.dto';
import type { NationalCount } from '@app/data-quality/national-count';
import { Select, SubmitButton, TextInput } from '../components/forms';
import { Layout } from '../components/layout';
import { DataTable, Freshness } from '../components/tables';
import { formatCount, formatTime } from '../format';
import type { WebSession } from '../web-session.service';

const D = WEB_TOOL_LABELS.dataQuality;
const N = WEB_TOOL_LABELS.nationalCount;

/** One row a check found, with where to act on it (decided by the controller from the caller's role). */
export interface QualityItem {
  participantCode?: string;
  interventionName?: string;
  date?: string;
  codes?: string;
  link?: { href: string; label: string };
}

export interface QualityCheck {
  code: string;
  severity: string;
  title: string;
  count: number;
  items: QualityItem[];
}

function AssociationPicker(props: { action: string; associations: AssociationView[]; chosen: string }) {
  if (props.associations.length < 2) return null;
  return (
    <form method="get" action={props.action} class="filters">
      <Select
        name="forbund"
        label={D.association}
        value={props.chosen}
        options={props.associations.map((a) => ({ value: a.id, label: a.name }))}
      />
      <SubmitButton secondary>{W.show}</SubmitButton>
    </form>
  );
}

export function DataQualityPage(props: {
  session: WebSession;
  associations: AssociationView[];
  association: AssociationView;
  checks: QualityCheck[];
}) {
  const { session, associations, association, checks } = props;
  const title = `${D.title}: ${association.name}`;
  return (
    <Layout title={title} session={session} breadcrumbs={[{ href: '/', label: W.home }]}>
      <h1>{title}</h1>
      <p>{D.intro}</p>
      <AssociationPicker action="/datakvalitet" associations={associations} chosen={association.id} />
      <DataTable
        id="quality-summary"
        caption={D.title}
        columns={[
          { key: 'title', label: D.check, kind: 'text' },
          { key: 'severity', label: W.status, kind: 'text' },
          { key: 'count', label: D.count, kind: 'count' },
        ]}
        rows={checks.map((c) => ({
          title: c.title,
          severity: D.severity[c.severity] ?? c.severity,
          count: c.count,
        }))}
      />
      {checks.map((c) => (
        <section key={c.code} aria-labelledby={`check-${c.code}`} data-check={c.code}>
          <h2 id={`check-${c.code}`}>
            {c.title} ({formatCount(c.count)})
          </h2>
          {c.items.length === 0 ? (
            <p>{D.none}</p>
          ) : (
            <>
              {c.items.length < c.count ? <p class="hint">{D.more(c.items.length, c.count)}</p> : null}
              <div class="table-scroll">
                <table class="data-table">
                  <caption class="visually-hidden">{c.title}</caption>
                  <thead>
                    <tr>
                      <th scope="col">
                        {c.items[0].participantCode !== undefined
                          ? D.columns.participantCode
                          : c.items[0].codes !== undefined
                            ? D.columns.codes
                            : D.columns.intervention}
                      </th>
                      {c.items[0].participantCode !== undefined ? (
                        <th scope="col">{D.columns.intervention}</th>
                      ) : null}
                      {c.items[0].date !== undefined ? (
                        <th scope="col">
                          {c.code === 'inactive_intervention'
                            ? D.columns.lastActivity
                            : c.code === 'exit_without_income_support'
                              ? D.columns.exitedOn
                              : D.columns.startedOn}
                        </th>
                      ) : null}
                      <th scope="col">{D.columns.open}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.items.map((item, i) => (
                      <tr key={i}>
                        <th scope="row">{item.participantCode ?? item.codes ?? item.interventionName}</th>
                        {item.participantCode !== undefined ? <td>{item.interventionName}</td> : null}
                        {item.date !== undefined ? <td>{item.date}</td> : null}
                        <td>{item.link ? <a href={item.link.href}>{item.link.label}</a> : W.none}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      ))}
    </Layout>
  );
}

const KEYS = [...GENDERS, 'total'] as const;
const genderLabel = (k: (typeof KEYS)[number]) =>
  k === 'total' ? REPORT_LABELS.total : GENDER_PLURAL_LABELS[k];

export function NationalCountPage(props: {
  session: WebSession;
  associations: AssociationView[];
  count: NationalCount;
  yearValue: string;
  yearError?: string;
}) {
  const { session, associations, count, yearValue, yearError } = props;
  const title = `${N.title}: ${count.association.name}, ${count.year}`;
  const base = `/nationell-uppfoljning/export?forbund=${count.association.id}&ar=${count.year}`;
  const line = (name: string, l: NationalCount['total']) => ({
    name,
    ...Object.fromEntries(KEYS.map((k) => [`p-${k}`, l.participants[k]])),
    ...Object.fromEntries(KEYS.map((k) => [`n-${k}`, l.newParticipants[k]])),
  });
  return (
    <Layout
      title={title}
      session={session}
      errors={yearError ? [{ field: 'ar', message: yearError }] : undefined}
      breadcrumbs={[{ href: '/', label: W.home }]}
    >
      <h1>{title}</h1>
      <p>{N.intro}</p>
      <form method="get" action="/nationell-uppfoljning" class="filters">
        {associations.length > 1 ? (
          <Select
            name="forbund"
            label={N.association}
            value={count.association.id}
            options={associations.map((a) => ({ value: a.id, label: a.name }))}
          />
        ) : (
          <input type="hidden" name="forbund" value={count.association.id} />
        )}
        <TextInput
          name="ar"
          label={N.year}
          value={yearValue}
          width="short"
          inputMode="numeric"
          error={yearError}
        />
        <SubmitButton secondary>{W.show}</SubmitButton>
      </form>
      <Freshness asOf={count.asOf} fresh={count.fresh} />
      {count.asOf ? (
        <p class="hint">
          {NATIONAL_COUNT_LABELS.asOf}: {formatTime(count.asOf)}
        </p>
      ) : null}
      <ul class="actions">
        <li>
          <a class="button button-secondary" href={`${base}&format=csv`} download>
            {N.downloadCsv}
          </a>
        </li>
        <li>
          <a class="button button-secondary" href={`${base}&format=xlsx`} download>
            {N.downloadXlsx}
          </a>
        </li>
      </ul>
      <DataTable
        id="national-count"
        caption={N.caption(count.association.name, count.year)}
        columns={[
          { key: 'name', label: N.intervention, kind: 'text' },
          ...KEYS.map((k) => ({
            key: `p-${k}`,
            label: `${N.participants} – ${genderLabel(k)}`,
            kind: 'count' as const,
          })),
          ...KEYS.map((k) => ({
            key: `n-${k}`,
            label: `${N.newParticipants} – ${genderLabel(k)}`,
            kind: 'count' as const,
          })),
        ]}
        rows={[...count.interventions.map((i) => line(i.name, i)), line(N.total, count.total)]}
      />
    </Layout>
  );
}
