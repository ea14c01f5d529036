import { ROLES, ROLE_LABELS, WEB_LABELS as W, WEB_TOOL_LABELS as T } from '@app/domain';
import type { UserView } from '@app/auth/auth.dto';
import type { FieldError } from '@app/http/error-envelope';
import type {
  AssociationView,
  GoalsView,
  InterventionView,
  MunicipalityView,
} from '@app/registry/registry.dto';
import { Checkboxes, Csrf, errorOf, Radios, Select, SubmitButton, TextInput } from '../components/forms';
import { Layout } from '../components/layout';
import { formatCount, formatShare, formatTime } from '../format';
import type { AuditLine } from '../audit-log.repository';
import type { WebSession } from '../web-session.service';

const A = W.admin;
type Values = Record<string, string | string[] | undefined>;
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const arr = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
const crumbs = [{ href: '/', label: A.title }];

export function AdminStartPage({ session, flash }: { session: WebSession; flash: string | null }) {
  const links = [
    { href: '/admin/forbund', label: A.associations },
    { href: '/admin/insatser', label: A.interventions },
    { href: '/admin/anvandare', label: A.users },
    { href: '/rapporter', label: W.reports.title },
    { href: '/styrelse', label: W.boardOverview },
    { href: '/status', label: A.status },
    { href: '/admin/koer', label: A.queues },
  ];
  return (
    <Layout title={A.title} session={session} flash={flash}>
      <h1>{A.title}</h1>
      <ul>
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href}>{l.label}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function AssociationsPage(props: {
  session: WebSession;
  flash: string | null;
  associations: AssociationView[];
  values: Values;
  errors?: FieldError[];
}) {
  const { session, flash, associations, values: v, errors } = props;
  return (
    <Layout title={A.associations} session={session} flash={flash} errors={errors} breadcrumbs={crumbs}>
      <h1>{A.associations}</h1>
      <div class="table-scroll">
        <table class="data-table">
          <caption>{A.associations}</caption>
          <thead>
            <tr>
              <th scope="col">{A.name}</th>
              <th scope="col">{A.organisationNumber}</th>
              <th scope="col">{A.county}</th>
              <th scope="col" class="numeric">
                {A.disclosureThreshold}
              </th>
              <th scope="col">{A.audit}</th>
            </tr>
          </thead>
          <tbody>
            {associations.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <a href={`/admin/forbund/${a.id}`}>{a.name}</a>
                </th>
                <td>{a.organisationNumber ?? W.none}</td>
                <td>{a.county ?? W.none}</td>
                <td class="numeric">{a.disclosureThreshold}</td>
                <td>
                  <a href={`/admin/logg?typ=association&id=${a.id}`}>
                    {A.showLog}
                    <span class="visually-hidden"> {a.name}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{A.createAssociation}</h2>
      <form method="post" action="/admin/forbund" novalidate>
        <Csrf token={session.csrfToken} />
        <TextInput name="name" label={A.name} value={str(v.name)} error={errorOf(errors, 'name')} />
        <TextInput
          name="organisationNumber"
          label={`${A.organisationNumber} ${W.optional}`}
          value={str(v.organisationNumber)}
          error={errorOf(errors, 'organisationNumber')}
          width="medium"
        />
        <TextInput
          name="county"
          label={`${A.county} ${W.optional}`}
          value={str(v.county)}
          error={errorOf(errors, 'county')}
          width="medium"
        />
        <TextInput
          name="disclosureThreshold"
          label={A.disclosureThreshold}
          hint={A.disclosureThresholdHint}
          inputMode="numeric"
          value={str(v.disclosureThreshold) ?? '3'}
          error={errorOf(errors, 'disclosureThreshold')}
          width="short"
        />
        <SubmitButton>{A.createAssociation}</SubmitButton>
      </form>
    </Layout>
  );
}

export function InterventionsPage(props: {
  session: WebSession;
  flash: string | null;
  associations: AssociationView[];
  interventions: InterventionView[];
}) {
  const { session, flash, associations, interventions } = props;
  return (
    <Layout title={A.interventions} session={session} flash={flash} breadcrumbs={crumbs}>
      <h1>{A.interventions}</h1>
      <p>
        <a class="button" href="/admin/insatser/ny">
          {A.createIntervention}
        </a>
      </p>
      <div class="table-scroll">
        <table class="data-table">
          <caption>{A.interventions}</caption>
          <thead>
            <tr>
              <th scope="col">{A.name}</th>
              <th scope="col">{A.association}</th>
              <th scope="col">{A.startsOn}</th>
              <th scope="col">{A.endsOn}</th>
              <th scope="col">{A.municipalities}</th>
            </tr>
          </thead>
          <tbody>
            {interventions.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  <a href={`/admin/insatser/${i.id}`}>{i.name}</a>
                </th>
                <td>{associations.find((a) => a.id === i.associationId)?.name ?? ''}</td>
                <td>{i.startsOn}</td>
                <td>{i.endsOn ?? W.none}</td>
                <td>{i.municipalities.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function NewInterventionPage(props: {
  session: WebSession;
  associations: AssociationView[];
  municipalities: MunicipalityView[];
  values: Values;
  errors?: FieldError[];
}) {
  const { session, associations, municipalities, values: v, errors } = props;
  return (
    <Layout
      title={A.createIntervention}
      session={session}
      errors={errors}
      breadcrumbs={[...crumbs, { href: '/admin/insatser', label: A.interventions }]}
    >
      <h1>{A.createIntervention}</h1>
      <form method="post" action="/admin/insatser" novalidate>
        <Csrf token={session.csrfToken} />
        <Select
          name="associationId"
          label={A.association}
          value={str(v.associationId)}
          options={associations.map((a) => ({ value: a.id, label: a.name }))}
          error={errorOf(errors, 'associationId')}
        />
        <TextInput name="name" label={A.name} value={str(v.name)} error={errorOf(errors, 'name')} />
        <TextInput
          name="startsOn"
          label={A.startsOn}
          inputMode="numeric"
          value={str(v.startsOn)}
          error={errorOf(errors, 'startsOn')}
          width="medium"
        />
        <TextInput
          name="endsOn"
          label={`${A.endsOn} ${W.optional}`}
          inputMode="numeric"
          value={str(v.endsOn)}
          error={errorOf(errors, 'endsOn')}
          width="medium"
        />
        <Select
          name="municipalities"
          label={A.municipalities}
          hint={A.municipalitiesHint}
          multiple
          values={arr(v.municipalities)}
          options={municipalities.map((m) => ({ value: m.code, label: `${m.name} (${m.code})` }))}
          error={errorOf(errors, 'municipalities')}
        />
        <TextInput
          name="description"
          label={`${A.description} ${W.optional}`}
          value={str(v.description)}
          error={errorOf(errors, 'description')}
        />
        <SubmitButton>{A.createIntervention}</SubmitButton>
      </form>
    </Layout>
  );
}

export function InterventionPage(props: {
  session: WebSession;
  flash: string | null;
  intervention: InterventionView;
  association: AssociationView | undefined;
  municipalities: MunicipalityView[];
  goals: GoalsView;
  values: Values;
  errors?: FieldError[];
}) {
  const { session, flash, intervention: i, association, municipalities, goals, values: v, errors } = props;
  const name = (code: string) => municipalities.find((m) => m.code === code)?.name ?? code;
  const pct = (x: number | null) =>
    x === null ? undefined : String(Math.round(x * 10000) / 100).replace('.', ',');
  return (
    <Layout
      title={A.interventionTitle(i.name)}
      session={session}
      flash={flash}
      errors={errors}
      breadcrumbs={[...crumbs, { href: '/admin/insatser', label: A.interventions }]}
    >
      <h1>{A.interventionTitle(i.name)}</h1>
      <dl class="summary-list">
        <dt>{A.association}</dt>
        <dd>{association?.name ?? ''}</dd>
        <dt>{A.startsOn}</dt>
        <dd>{i.startsOn}</dd>
        <dt>{A.endsOn}</dt>
        <dd>{i.endsOn ?? W.none}</dd>
        <dt>{A.municipalities}</dt>
        <dd>{i.municipalities.map((c) => `${name(c)} (${c})`).join(', ')}</dd>
        <dt>{A.description}</dt>
        <dd>{i.description ?? W.none}</dd>
      </dl>
      <p>
        <a href={`/admin/logg?typ=intervention&id=${i.id}`}>{A.showLog}</a>
      </p>
      <h2>{A.goalsTitle(goals.year)}</h2>
      <dl class="summary-list">
        <dt>{A.goalParticipants}</dt>
        <dd>{formatCount(goals.participants)}</dd>
        <dt>{A.goalNew}</dt>
        <dd>{formatCount(goals.newParticipants)}</dd>
        <dt>{A.goalShareWork}</dt>
        <dd>{formatShare(goals.shareWorkOrStudies)}</dd>
        <dt>{A.goalShareOrdinary}</dt>
        <dd>{formatShare(goals.shareOrdinaryIntervention)}</dd>
      </dl>
      <form method="post" action={`/admin/insatser/${i.id}/mal`} novalidate>
        <Csrf token={session.csrfToken} />
        <TextInput
          name="year"
          label={A.goalsYear}
          inputMode="numeric"
          value={str(v.year) ?? String(goals.year)}
          error={errorOf(errors, 'year')}
          width="short"
        />
        <TextInput
          name="participants"
          label={A.goalParticipants}
          inputMode="numeric"
          value={str(v.participants) ?? goals.participants?.toString()}
          error={errorOf(errors, 'participants')}
          width="short"
        />
        <TextInput
          name="newParticipants"
          label={A.goalNew}
          inputMode="numeric"
          value={str(v.newParticipants) ?? goals.newParticipants?.toString()}
          error={errorOf(errors, 'newParticipants')}
          width="short"
        />
        <TextInput
          name="shareWorkOrStudies"
          label={A.goalShareWork}
          inputMode="decimal"
          value={str(v.shareWorkOrStudies) ?? pct(goals.shareWorkOrStudies)}
          error={errorOf(errors, 'shareWorkOrStudies')}
          width="short"
        />
        <TextInput
          name="shareOrdinaryIntervention"
          label={A.goalShareOrdinary}
          inputMode="decimal"
          value={str(v.shareOrdinaryIntervention) ?? pct(goals.shareOrdinaryIntervention)}
          error={errorOf(errors, 'shareOrdinaryIntervention')}
          width="short"
        />
        <SubmitButton>{A.saveGoals}</SubmitButton>
      </form>
      <h2 id="municipalities-title">{A.municipalities}</h2>
      <form method="post" action={`/admin/insatser/${i.id}/kommuner`} novalidate>
        <Csrf token={session.csrfToken} />
        <Select
          name="municipalities"
          label={A.municipalities}
          hint={A.municipalitiesHint}
          multiple
          values={v.municipalities !== undefined ? arr(v.municipalities) : i.municipalities}
          options={municipalities.map((m) => ({ value: m.code, label: `${m.name} (${m.code})` }))}
          error={errorOf(errors, 'municipalities')}
        />
        <SubmitButton>{T.admin.saveMunicipalities}</SubmitButton>
      </form>
    </Layout>
  );
}

/** One association: its disclosure threshold and retention period, each changed by its own form. */
export function AssociationPage(props: {
  session: WebSession;
  flash: string | null;
  association: AssociationView;
  retention: { retentionMonths: number | null; effectiveMonths: number };
  defaultRetentionMonths: number;
  values: Values;
  errors?: FieldError[];
}) {
  const { session, flash, association: a, retention, values: v, errors } = props;
  const title = T.admin.associationTitle(a.name);
  return (
    <Layout
      title={title}
      session={session}
      flash={flash}
      errors={errors}
      breadcrumbs={[...crumbs, { href: '/admin/forbund', label: A.associations }]}
    >
      <h1>{title}</h1>
      <dl class="summary-list">
        <dt>{A.organisationNumber}</dt>
        <dd>{a.organisationNumber ?? W.none}</dd>
        <dt>{A.county}</dt>
        <dd>{a.county ?? W.none}</dd>
        <dt>{A.disclosureThreshold}</dt>
        <dd data-threshold>{a.disclosureThreshold}</dd>
        <dt>{T.admin.retentionMonths}</dt>
        <dd data-retention>{retention.effectiveMonths}</dd>
      </dl>
      <p>
        <a href={`/admin/logg?typ=association&id=${a.id}`}>{A.showLog}</a>
      </p>
      <h2>{A.disclosureThreshold}</h2>
      <form method="post" action={`/admin/forbund/${a.id}/roejandeskydd`} novalidate>
        <Csrf token={session.csrfToken} />
        <TextInput
          name="disclosureThreshold"
          label={A.disclosureThreshold}
          hint={A.disclosureThresholdHint}
          inputMode="numeric"
          width="short"
          value={str(v.disclosureThreshold) ?? String(a.disclosureThreshold)}
          error={errorOf(errors, 'disclosureThreshold')}
        />
        <SubmitButton>{T.admin.saveSettings}</SubmitButton>
      </form>
      <h2>{T.admin.retentionMonths}</h2>
      <form method="post" action={`/admin/forbund/${a.id}/gallring`} novalidate>
        <Csrf token={session.csrfToken} />
        <TextInput
          name="retentionMonths"
          label={T.admin.retentionMonths}
          hint={T.admin.retentionHint(props.defaultRetentionMonths)}
          inputMode="numeric"
          width="short"
          value={str(v.retentionMonths) ?? retention.retentionMonths?.toString() ?? ''}
          error={errorOf(errors, 'retentionMonths')}
        />
        <SubmitButton>{T.admin.saveSettings}</SubmitButton>
      </form>
    </Layout>
  );
}

export function UsersPage(props: { session: WebSession; flash: string | null; users: UserView[] }) {
  const { session, flash, users } = props;
  return (
    <Layout title={A.users} session={session} flash={flash} breadcrumbs={crumbs}>
      <h1>{A.users}</h1>
      <p>
        <a class="button" href="/admin/anvandare/ny">
          {A.createUser}
        </a>
      </p>
      <div class="table-scroll">
        <table class="data-table">
          <caption>{A.users}</caption>
          <thead>
            <tr>
              <th scope="col">{A.email}</th>
              <th scope="col">{A.displayName}</th>
              <th scope="col">{A.role}</th>
              <th scope="col">{W.status}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  <a href={`/admin/anvandare/${u.id}`}>{u.email}</a>
                </th>
                <td>{u.displayName ?? W.none}</td>
                <td>{ROLE_LABELS[u.role]}</td>
                <td>{u.active ? A.active : A.inactive}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

function ScopeFields(props: {
  associations: AssociationView[];
  interventions: InterventionView[];
  values: Values;
  errors?: FieldError[];
}) {
  const { associations, interventions, values: v, errors } = props;
  const assocName = (id: string) => associations.find((a) => a.id === id)?.name ?? '';
  return (
    <>
      <Checkboxes
        name="associationIds"
        legend={A.scopeAssociations}
        values={arr(v.associationIds)}
        options={associations.map((a) => ({ value: a.id, label: a.name }))}
        error={errorOf(errors, 'associationIds')}
      />
      <Checkboxes
        name="interventionIds"
        legend={A.scopeInterventions}
        values={arr(v.interventionIds)}
        options={interventions.map((i) => ({
          value: i.id,
          label: `${i.name} (${assocName(i.associationId)})`,
        }))}
        error={errorOf(errors, 'interventionIds')}
      />
    </>
  );
}

export function NewUserPage(props: {
  session: WebSession;
  associations: AssociationView[];
  interventions: InterventionView[];
  values: Values;
  errors?: FieldError[];
}) {
  const { session, values: v, errors } = props;
  return (
    <Layout
      title={A.createUser}
      session={session}
      errors={errors}
      breadcrumbs={[...crumbs, { href: '/admin/anvandare', label: A.users }]}
    >
      <h1>{A.createUser}</h1>
      <form method="post" action="/admin/anvandare" novalidate>
        <Csrf token={session.csrfToken} />
        <TextInput
          name="email"
          label={A.email}
          type="email"
          autocomplete="off"
          value={str(v.email)}
          error={errorOf(errors, 'email')}
        />
        <TextInput
          name="displayName"
          label={`${A.displayName} ${W.optional}`}
          value={str(v.displayName)}
          error={errorOf(errors, 'displayName')}
        />
        <Radios
          name="role"
          legend={A.role}
          value={str(v.role)}
          options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          error={errorOf(errors, 'role')}
        />
        <ScopeFields {...props} />
        <TextInput
          name="password"
          label={A.password}
          hint={A.passwordHint}
          type="password"
          autocomplete="new-password"
          error={errorOf(errors, 'password')}
          width="medium"
        />
        <SubmitButton>{A.createUser}</SubmitButton>
      </form>
    </Layout>
  );
}

export function UserPage(props: {
  session: WebSession;
  flash: string | null;
  user: UserView;
  associations: AssociationView[];
  interventions: InterventionView[];
  values: Values;
  errors?: FieldError[];
}) {
  const { session, flash, user: u, errors } = props;
  return (
    <Layout
      title={A.userTitle(u.email)}
      session={session}
      flash={flash}
      errors={errors}
      breadcrumbs={[...crumbs, { href: '/admin/anvandare', label: A.users }]}
    >
      <h1>{A.userTitle(u.email)}</h1>
      <dl class="summary-list">
        <dt>{A.role}</dt>
        <dd>{ROLE_LABELS[u.role]}</dd>
        <dt>{W.status}</dt>
        <dd>{u.active ? A.active : A.inactive}</dd>
      </dl>
      <p>
        <a href={`/admin/logg?typ=user&id=${u.id}`}>{A.showLog}</a>
      </p>
      {u.role !== 'admin' ? (
        <>
          <h2>{A.saveScope}</h2>
          <form method="post" action={`/admin/anvandare/${u.id}/uppdrag`} novalidate>
            <Csrf token={session.csrfToken} />
            <ScopeFields {...props} />
            <SubmitButton>{A.saveScope}</SubmitButton>
          </form>
        </>
      ) : null}
      <h2>{A.resetPassword}</h2>
      <form method="post" action={`/admin/anvandare/${u.id}/losenord`} novalidate>
        <Csrf token={session.csrfToken} />
        <TextInput
          name="password"
          label={A.newPassword}
          hint={A.passwordHint}
          type="password"
          autocomplete="new-password"
          error={errorOf(errors, 'password')}
          width="medium"
        />
        <SubmitButton secondary>{A.resetPassword}</SubmitButton>
      </form>
      <h2>{W.status}</h2>
      <form method="post" action={`/admin/anvandare/${u.id}/status`}>
        <Csrf token={session.csrfToken} />
        <input type="hidden" name="active" value={u.active ? 'false' : 'true'} />
        <SubmitButton warning={u.active} secondary={!u.active}>
          {u.active ? A.deactivate : A.activate}
        </SubmitButton>
      </form>
    </Layout>
  );
}

export function AuditPage(props: {
  session: WebSession;
  entityType: string;
  entityId: string;
  lines: AuditLine[];
}) {
  const { session, entityType, entityId, lines } = props;
  const C = A.auditColumns;
  return (
    <Layout title={A.auditTitle} session={session} breadcrumbs={crumbs}>
      <h1>{A.auditOf(entityType, entityId)}</h1>
      {lines.length === 0 ? (
        <p>{A.noAudit}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table">
            <caption>{A.auditOf(entityType, entityId)}</caption>
            <thead>
              <tr>
                <th scope="col">{C.when}</th>
                <th scope="col">{C.who}</th>
                <th scope="col">{C.action}</th>
                <th scope="col">{C.fields}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, n) => (
                <tr key={n}>
                  <th scope="row">{formatTime(l.occurredAt)}</th>
                  <td>{l.actorEmail ?? W.none}</td>
                  <td>{A.auditActions[l.action] ?? l.action}</td>
                  <td>{l.changedFields.join(', ') || W.none}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function StatusPage(props: {
  session: WebSession;
  status: {
    pending: number;
    oldestPendingSince: string | null;
    lastCompletedAt: string | null;
    lastRebuildAt: string | null;
    queue: Record<string, number> | null;
  };
}) {
  const { session, status: s } = props;
  const time = (x: string | null) => (x ? formatTime(x) : W.none);
  return (
    <Layout title={A.status} session={session} breadcrumbs={[{ href: '/', label: W.home }]}>
      <h1>{A.status}</h1>
      <dl class="summary-list">
        <dt>{A.statusPending}</dt>
        <dd>{s.pending}</dd>
        <dt>{A.statusOldest}</dt>
        <dd>{time(s.oldestPendingSince)}</dd>
        <dt>{A.statusLastCompleted}</dt>
        <dd>{time(s.lastCompletedAt)}</dd>
        <dt>{A.statusLastRebuild}</dt>
        <dd>{time(s.lastRebuildAt)}</dd>
        <dt>{A.statusQueue}</dt>
        <dd>
          {s.queue
            ? `${s.queue.waiting ?? 0} / ${s.queue.active ?? 0} / ${s.queue.delayed ?? 0} / ${s.queue.failed ?? 0}`
            : A.statusQueueDown}
        </dd>
      </dl>
      {session.scope.role === 'admin' ? (
        <p>
          <a href="/admin/koer">{A.queues}</a>
        </p>
      ) : null}
    </Layout>
  );
}
