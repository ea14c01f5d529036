import {
  IMPORT_ERROR_LABELS,
  IMPORT_PROBLEM_LABELS,
  problemText,
  WEB_LABELS as W,
  WEB_TOOL_LABELS,
} from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import type { ImportView } from '@app/imports/imports.dto';
import type { AssociationView } from '@app/registry/registry.dto';
import { Csrf, errorOf, FileInput, Select, SubmitButton } from '../components/forms';
import { Layout } from '../components/layout';
import { DataTable } from '../components/tables';
import { formatTime } from '../format';
import type { WebSession } from '../web-session.service';

const I = WEB_TOOL_LABELS.imports;
const RUNNING = ['validating', 'committing'];

export function ImportUploadPage(props: {
  session: WebSession;
  associations: AssociationView[];
  values: { forbund?: string };
  errors?: FieldError[];
  recent: { id: string; filename: string; status: string; createdAt: Date }[];
}) {
  const { session, associations, values, errors, recent } = props;
  return (
    <Layout title={I.title} session={session} errors={errors} breadcrumbs={[{ href: '/', label: W.home }]}>
      <h1>{I.title}</h1>
      <p>{I.intro}</p>
      {session.scope.role === 'coordinator' ? <p class="hint">{I.coordinatorNote}</p> : null}
      <form method="post" action="/import" enctype="multipart/form-data">
        <Csrf token={session.csrfToken} />
        <Select
          name="forbund"
          label={I.association}
          options={associations.map((a) => ({ value: a.id, label: a.name }))}
          value={values.forbund ?? (associations.length === 1 ? associations[0].id : undefined)}
          placeholder={associations.length === 1 ? undefined : ''}
          error={errorOf(errors, 'forbund')}
        />
        <FileInput name="file" label={I.file} hint={I.fileHint} error={errorOf(errors, 'file')} />
        <SubmitButton>{I.upload}</SubmitButton>
      </form>
      {recent.length ? (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">{I.recentTitle}</h2>
          <ul>
            {recent.map((r) => (
              <li key={r.id}>
                <a href={`/import/${r.id}`}>{r.filename}</a> – {I.status[r.status] ?? r.status},{' '}
                {formatTime(r.createdAt.toISOString())}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

function Summary({ view }: { view: ImportView }) {
  if (!view.summary) return null;
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">{I.summaryTitle}</h2>
      <p>{view.status === 'done' ? I.summaryDone : I.summaryPlanned}</p>
      <dl class="figures" data-summary>
        <div>
          <dt>{I.created}</dt>
          <dd data-created>{view.summary.created}</dd>
        </div>
        <div>
          <dt>{I.exited}</dt>
          <dd data-exited>{view.summary.exited}</dd>
        </div>
        <div>
          <dt>{I.unchanged}</dt>
          <dd data-unchanged>{view.summary.unchanged}</dd>
        </div>
      </dl>
    </section>
  );
}

export function ImportStatusPage(props: { session: WebSession; view: ImportView; associationName: string }) {
  const { session, view } = props;
  const title = I.statusTitle(view.filename);
  const running = RUNNING.includes(view.status);
  const canCommit = view.status === 'validated' && view.problemCount === 0;
  return (
    <Layout
      title={title}
      session={session}
      refreshSeconds={running ? 2 : undefined}
      breadcrumbs={[
        { href: '/', label: W.home },
        { href: '/import', label: I.title },
      ]}
    >
      <h1>{title}</h1>
      <dl class="summary-list">
        <dt>{I.association}</dt>
        <dd>{props.associationName}</dd>
        <dt>{I.uploadedAt}</dt>
        <dd>{formatTime(view.createdAt)}</dd>
        <dt>{W.status}</dt>
        <dd>
          <span class="tag" data-import-status={view.status}>
            {I.status[view.status] ?? view.status}
          </span>
        </dd>
      </dl>
      <p role="status" data-progress>
        {I.progress(view.progress.processed, view.progress.rows)}
      </p>
      {running ? <p class="hint">{I.refreshing}</p> : null}
      {view.status === 'failed' && view.error ? (
        <p class="warning-text" data-import-error>
          {I.failed(
            problemText(IMPORT_ERROR_LABELS, {
              code: view.errorCode,
              params: view.errorParams,
              message: view.error,
            }),
          )}
        </p>
      ) : null}
      <Summary view={view} />
      {view.problemCount > 0 ? (
        <section aria-labelledby="problems-title">
          <h2 id="problems-title">{I.problemsTitle(view.problemCount)}</h2>
          <p class="warning-text">{I.cannotCommit}</p>
          {view.problems.length < view.problemCount ? (
            <p class="hint">{I.problemsMore(view.problems.length, view.problemCount)}</p>
          ) : null}
          <DataTable
            id="import-problems"
            caption={I.problemsTitle(view.problemCount)}
            columns={[
              { key: 'row', label: I.problemColumns.row, kind: 'text' },
              { key: 'column', label: I.problemColumns.column, kind: 'text' },
              { key: 'message', label: I.problemColumns.message, kind: 'text' },
            ]}
            rows={view.problems.map((p) => ({
              row: String(p.row),
              column: p.column,
              // Swedish from the problem's code; a problem stored before codes keeps its message.
              message: problemText(IMPORT_PROBLEM_LABELS, p),
            }))}
          />
        </section>
      ) : null}
      <ul class="actions">
        {canCommit ? (
          <li>
            <a class="button" href={`/import/${view.id}/spara`}>
              {I.confirmTitle}
            </a>
          </li>
        ) : null}
        {!running ? (
          <li>
            <a href="/import">{I.newImport}</a>
          </li>
        ) : null}
      </ul>
    </Layout>
  );
}

export function ImportConfirmPage(props: { session: WebSession; view: ImportView }) {
  const { session, view } = props;
  return (
    <Layout
      title={I.confirmTitle}
      session={session}
      breadcrumbs={[
        { href: '/', label: W.home },
        { href: '/import', label: I.title },
        { href: `/import/${view.id}`, label: view.filename },
      ]}
    >
      <h1>{I.confirmTitle}</h1>
      <Summary view={view} />
      <p class="warning-text">{I.confirmText(view.progress.rows)}</p>
      <form method="post" action={`/import/${view.id}/spara`}>
        <Csrf token={session.csrfToken} />
        <SubmitButton>{I.confirm}</SubmitButton> <a href={`/import/${view.id}`}>{W.cancel}</a>
      </form>
    </Layout>
  );
}
