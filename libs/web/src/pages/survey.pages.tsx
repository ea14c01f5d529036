import {
  problemText,
  SURVEY_FILE_PROBLEM_LABELS,
  SURVEY_LABELS,
  WEB_LABELS as W,
  WEB_TOOL_LABELS,
} from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import type { AssociationView, InterventionView } from '@app/registry/registry.dto';
import type { Questionnaire } from '@app/surveys/questionnaire';
import type { RoundView } from '@app/surveys/survey.repository';
import { Csrf, errorOf, FileInput, Radios, Select, SubmitButton, TextInput } from '../components/forms';
import { Layout } from '../components/layout';
import { DataTable } from '../components/tables';
import type { WebSession } from '../web-session.service';

const S = WEB_TOOL_LABELS.surveys;
const groupLabel = (g: string) =>
  SURVEY_LABELS.respondentGroups[g as keyof typeof SURVEY_LABELS.respondentGroups] ?? g;
const questionnaireLabel = (q: Questionnaire) => `${q.title} (${groupLabel(q.respondentGroup)}, ${q.id})`;

export type Values = Record<string, string | string[] | undefined>;

export function RoundsPage(props: {
  session: WebSession;
  flash: string | null;
  associations: AssociationView[];
  association: AssociationView;
  interventions: InterventionView[];
  questionnaires: Questionnaire[];
  rounds: RoundView[];
  values: Values;
  errors?: FieldError[];
}) {
  const { session, flash, associations, association, interventions, questionnaires, rounds, values, errors } =
    props;
  const title = `${S.roundsTitle}: ${association.name}`;
  const byId = new Map(questionnaires.map((q) => [q.id, q]));
  return (
    <Layout
      title={title}
      session={session}
      flash={flash}
      errors={errors}
      breadcrumbs={[{ href: '/', label: W.home }]}
    >
      <h1>{title}</h1>
      <p>{S.roundsIntro}</p>
      {associations.length > 1 ? (
        <form method="get" action="/enkater" class="filters">
          <Select
            name="forbund"
            label={S.association}
            value={association.id}
            options={associations.map((a) => ({ value: a.id, label: a.name }))}
          />
          <SubmitButton secondary>{W.show}</SubmitButton>
        </form>
      ) : null}
      {rounds.length === 0 ? (
        <p>{S.noRounds}</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="rounds-caption" tabIndex={0}>
          <table class="data-table" id="rounds">
            <caption id="rounds-caption">{S.roundsTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{S.columns.questionnaire}</th>
                <th scope="col" class="numeric">
                  {S.columns.year}
                </th>
                <th scope="col" class="numeric">
                  {S.columns.invited}
                </th>
                <th scope="col" class="numeric">
                  {S.columns.responses}
                </th>
                <th scope="col" class="numeric">
                  {S.columns.links}
                </th>
                <th scope="col">{S.columns.open}</th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((r) => {
                const q = byId.get(r.questionnaireId);
                return (
                  <tr key={r.id}>
                    <th scope="row">{q ? questionnaireLabel(q) : r.questionnaireId}</th>
                    <td class="numeric">{r.year}</td>
                    <td class="numeric">{r.invited}</td>
                    <td class="numeric" data-responses>
                      {r.responses}
                    </td>
                    <td class="numeric">
                      {r.linksUsed}/{r.linksIssued}
                    </td>
                    <td>
                      <a href={`/enkater/${r.id}`}>
                        {S.show}
                        <span class="visually-hidden">
                          {' '}
                          {q ? q.title : r.questionnaireId} {r.year}
                        </span>
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="create-round">
        <h2 id="create-round">{S.createRound}</h2>
        <form method="post" action="/enkater">
          <Csrf token={session.csrfToken} />
          <input type="hidden" name="forbund" value={association.id} />
          <Select
            name="questionnaireId"
            label={S.questionnaire}
            placeholder=""
            value={values.questionnaireId as string | undefined}
            options={questionnaires.map((q) => ({ value: q.id, label: questionnaireLabel(q) }))}
            error={errorOf(errors, 'questionnaireId')}
          />
          <TextInput
            name="year"
            label={S.year}
            width="short"
            inputMode="numeric"
            value={(values.year as string | undefined) ?? ''}
            error={errorOf(errors, 'year')}
          />
          <TextInput
            name="invited"
            label={S.invited}
            hint={S.invitedHint}
            width="short"
            inputMode="numeric"
            value={(values.invited as string | undefined) ?? ''}
            error={errorOf(errors, 'invited')}
          />
          <Select
            name="interventionIds"
            label={S.interventions}
            hint={S.interventionsHint}
            multiple
            values={
              Array.isArray(values.interventionIds)
                ? values.interventionIds
                : values.interventionIds
                  ? [values.interventionIds]
                  : []
            }
            options={interventions.map((i) => ({ value: i.id, label: i.name }))}
            error={errorOf(errors, 'interventionIds')}
          />
          <SubmitButton>{S.createRound}</SubmitButton>
        </form>
      </section>
    </Layout>
  );
}

export interface FileCheck {
  rows: number;
  problems: {
    row: number | null;
    column: string | null;
    header?: string;
    code?: string;
    params?: object;
    message: string;
  }[];
  moreProblems: number;
}

export function RoundPage(props: {
  session: WebSession;
  flash: string | null;
  round: RoundView;
  questionnaire: Questionnaire;
  associationName: string;
  interventionNames: string[];
  answers: Values;
  errors?: FieldError[];
  fileCheck?: FileCheck | null;
  links?: string[] | null;
}) {
  const { session, flash, round, questionnaire: q, answers, errors, fileCheck, links } = props;
  const title = S.roundTitle(q.title, round.year);
  const problemCount = fileCheck ? fileCheck.problems.length + fileCheck.moreProblems : 0;
  return (
    <Layout
      title={title}
      session={session}
      flash={flash}
      errors={errors}
      breadcrumbs={[
        { href: '/', label: W.home },
        { href: `/enkater?forbund=${round.associationId}`, label: S.roundsTitle },
      ]}
    >
      <h1>{title}</h1>
      <dl class="summary-list">
        <dt>{S.association}</dt>
        <dd>{props.associationName}</dd>
        <dt>{S.questionnaire}</dt>
        <dd>{questionnaireLabel(q)}</dd>
        <dt>{S.interventions}</dt>
        <dd>{props.interventionNames.length ? props.interventionNames.join(', ') : W.none}</dd>
        <dt>{S.columns.invited}</dt>
        <dd>{round.invited}</dd>
        <dt>{S.columns.responses}</dt>
        <dd data-responses>{round.responses}</dd>
        <dt>{S.columns.links}</dt>
        <dd>
          {round.linksUsed}/{round.linksIssued}
        </dd>
      </dl>
      {links?.length ? (
        <section aria-labelledby="links-created" class="notice-success">
          <h2 id="links-created">{S.linksCreated(links.length)}</h2>
          <label for="field-links">{S.linksList}</label>
          <textarea
            id="field-links"
            class="input input-long"
            data-links
            rows={Math.min(12, links.length)}
            readOnly
          >
            {links.join('\n')}
          </textarea>
        </section>
      ) : null}
      <section aria-labelledby="enter-title">
        <h2 id="enter-title">{S.enterTitle}</h2>
        <p class="hint">{S.enterHint}</p>
        <form method="post" action={`/enkater/${round.id}/svar`}>
          <Csrf token={session.csrfToken} />
          {q.questions.map((question) => (
            <Radios
              key={question.id}
              name={`q-${question.id}`}
              legend={question.text}
              value={(answers[`q-${question.id}`] as string | undefined) ?? ''}
              error={errorOf(errors, `q-${question.id}`)}
              options={[
                { value: '', label: S.notAnswered },
                ...q.scales[question.scale].map((o) => ({ value: o.code, label: o.label })),
              ]}
              inline
            />
          ))}
          <SubmitButton>{S.saveAnswer}</SubmitButton>
        </form>
      </section>
      <section aria-labelledby="file-title">
        <h2 id="file-title">{S.fileTitle}</h2>
        {fileCheck ? (
          problemCount === 0 ? (
            <p class="notice-success" role="status">
              {S.dryRunOk(fileCheck.rows)}
            </p>
          ) : (
            <>
              <p class="warning-text" role="status">
                {S.dryRunProblems(problemCount)}
              </p>
              <DataTable
                id="survey-file-problems"
                caption={S.dryRunProblems(problemCount)}
                columns={[
                  { key: 'row', label: S.problemColumns.row, kind: 'text' },
                  { key: 'column', label: S.problemColumns.column, kind: 'text' },
                  { key: 'message', label: S.problemColumns.message, kind: 'text' },
                ]}
                rows={fileCheck.problems.map((p) => ({
                  row: p.row === null ? S.wholeFile : String(p.row),
                  column: p.column ? (p.header ? `${p.column} (${p.header})` : p.column) : W.none,
                  message: problemText(SURVEY_FILE_PROBLEM_LABELS, p),
                }))}
              />
            </>
          )
        ) : null}
        <form method="post" action={`/enkater/${round.id}/fil`} enctype="multipart/form-data">
          <Csrf token={session.csrfToken} />
          <FileInput name="file" label={S.file} hint={S.fileHint} error={errorOf(errors, 'file')} />
          <div class="actions">
            <button type="submit" class="button button-secondary" name="steg" value="kontrollera">
              {S.checkFile}
            </button>
            <button type="submit" class="button" name="steg" value="importera">
              {S.importFile}
            </button>
          </div>
        </form>
      </section>
      <section aria-labelledby="links-title">
        <h2 id="links-title">{S.linksTitle}</h2>
        <p class="hint">{S.linksHint}</p>
        <form method="post" action={`/enkater/${round.id}/lankar`}>
          <Csrf token={session.csrfToken} />
          <TextInput
            name="count"
            label={S.linkCount}
            width="short"
            inputMode="numeric"
            value={(answers.count as string | undefined) ?? ''}
            error={errorOf(errors, 'count')}
          />
          <SubmitButton secondary>{S.createLinks}</SubmitButton>
        </form>
      </section>
    </Layout>
  );
}
