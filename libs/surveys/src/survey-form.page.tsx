// The anonymous answer form, server-rendered (escaped by default). Self-contained and accessible: every
// question a fieldset with a legend, every option a labelled radio button; works without JavaScript.
import type { VNode } from 'preact';
import { SURVEY_LABELS } from '@app/domain';
import { renderDocument } from '@app/web/render';
import type { Questionnaire } from './questionnaire';

const L = SURVEY_LABELS.form;

const STYLE = `body{font-family:system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}
fieldset{border:1px solid #888;border-radius:.4rem;margin:0 0 1rem;padding:.6rem 1rem}
legend{font-weight:600;padding:0 .3rem}label{display:block;padding:.15rem 0}
.error{color:#a00000;font-weight:600}button{font-size:1.05rem;padding:.5rem 1.2rem}`;

function Layout({ title, children }: { title: string; children: VNode | VNode[] }) {
  return (
    <html lang="sv">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>{children}</main>
      </body>
    </html>
  );
}

export function messagePage(title: string, text: string): string {
  return renderDocument(
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{text}</p>
    </Layout>,
  );
}

export interface FormPageProps {
  token: string;
  questionnaire: Questionnaire;
  scopeText: string;
  /** Answers already chosen (when the form comes back with a problem). */
  chosen?: Record<string, string>;
  /** Problems by question id; `_form` for the whole form. */
  errors?: Record<string, string>;
}

export function formPage({
  token,
  questionnaire,
  scopeText,
  chosen = {},
  errors = {},
}: FormPageProps): string {
  const hasErrors = Object.keys(errors).length > 0;
  return renderDocument(
    <Layout title={`${L.title}: ${questionnaire.title}`}>
      <h1>{questionnaire.title}</h1>
      <p>{scopeText}</p>
      <p>{L.intro}</p>
      <p>{L.optional}</p>
      {hasErrors ? (
        <p class="error" role="alert">
          {errors._form ?? L.invalid}
        </p>
      ) : (
        <></>
      )}
      <form method="post" action={`/enkat/${encodeURIComponent(token)}`}>
        {questionnaire.questions.map((question, i) => {
          const errorId = `e-${question.id}`;
          return (
            <fieldset aria-describedby={errors[question.id] ? errorId : undefined}>
              <legend>
                {i + 1}. {question.text}
              </legend>
              {errors[question.id] ? (
                <p class="error" id={errorId}>
                  {errors[question.id]}
                </p>
              ) : (
                <></>
              )}
              {questionnaire.scales[question.scale].map((option) => {
                const id = `q-${question.id}-${option.code}`;
                return (
                  <label for={id}>
                    <input
                      type="radio"
                      id={id}
                      name={`q.${question.id}`}
                      value={option.code}
                      checked={chosen[question.id] === option.code}
                    />{' '}
                    {option.label}
                  </label>
                );
              })}
            </fieldset>
          );
        })}
        <button type="submit">{L.submit}</button>
      </form>
    </Layout>,
  );
}
