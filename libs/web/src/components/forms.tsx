import type { ComponentChildren } from 'preact';
import { WEB_LABELS as W } from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';

export interface Option {
  value: string;
  label: string;
}

export const fieldId = (name: string) => `field-${name}`;

/** GOV.UK's error summary: first in main, focused on load, each message a link to its field. */
export function ErrorSummary({ errors }: { errors: FieldError[] }) {
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} autofocus>
      <h2 id="error-summary-title">{W.errorSummaryTitle}</h2>
      <ul>
        {errors.map((e) => (
          <li key={`${e.field}:${e.message}`}>
            <a href={`#${fieldId(e.field)}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The first error of a field, if any. */
export function errorOf(errors: FieldError[] | undefined, field: string): string | undefined {
  return errors?.find((e) => e.field === field)?.message;
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : null, error ? `${fieldId(name)}-error` : null].filter(
    Boolean,
  );
  return ids.length ? ids.join(' ') : undefined;
}

function Hint({ name, hint }: { name: string; hint?: string }) {
  return hint ? (
    <p class="hint" id={`${fieldId(name)}-hint`}>
      {hint}
    </p>
  ) : null;
}

function ErrorMessage({ name, error }: { name: string; error?: string }) {
  return error ? (
    <p class="field-error" id={`${fieldId(name)}-error`}>
      <span class="visually-hidden">{W.errorPrefix}</span>
      {error}
    </p>
  ) : null;
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function TextInput(props: {
  name: string;
  label: string;
  hint?: string;
  value?: string | null;
  error?: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'number' | 'search';
  autocomplete?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  width?: 'short' | 'medium' | 'long';
  required?: boolean;
}) {
  const { name, label, hint, value, error, type = 'text', autocomplete, inputMode, width = 'long' } = props;
  return (
    <div class={`field${error ? ' field-has-error' : ''}`}>
      <label for={fieldId(name)}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorMessage name={name} error={error} />
      <input
        class={`input input-${width}`}
        id={fieldId(name)}
        name={name}
        type={type}
        value={value ?? ''}
        autocomplete={autocomplete}
        inputMode={inputMode}
        spellcheck={false}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? 'true' : undefined}
        required={props.required}
      />
    </div>
  );
}

export function Select(props: {
  name: string;
  label: string;
  options: Option[];
  value?: string | null;
  values?: string[];
  multiple?: boolean;
  hint?: string;
  error?: string;
  placeholder?: string;
}) {
  const { name, label, options, value, values, multiple, hint, error, placeholder } = props;
  const selected = new Set(values ?? (value ? [value] : []));
  return (
    <div class={`field${error ? ' field-has-error' : ''}`}>
      <label for={fieldId(name)}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorMessage name={name} error={error} />
      <select
        class="select"
        id={fieldId(name)}
        name={name}
        multiple={multiple}
        size={multiple ? Math.min(8, options.length) : undefined}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {placeholder !== undefined && !multiple ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={selected.has(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function ChoiceGroup(props: {
  type: 'radio' | 'checkbox';
  name: string;
  legend: string;
  options: Option[];
  selected: Set<string>;
  hint?: string;
  error?: string;
  inline?: boolean;
}) {
  const { type, name, legend, options, selected, hint, error, inline } = props;
  return (
    <div class={`field${error ? ' field-has-error' : ''}`}>
      <fieldset aria-describedby={describedBy(name, hint, error)}>
        <legend>{legend}</legend>
        <Hint name={name} hint={hint} />
        <ErrorMessage name={name} error={error} />
        <div class={`choices${inline ? ' choices-inline' : ''}`}>
          {options.map((o, i) => {
            const id = i === 0 ? fieldId(name) : `${fieldId(name)}-${i}`;
            return (
              <div class="choice" key={o.value}>
                <input type={type} id={id} name={name} value={o.value} checked={selected.has(o.value)} />
                <label for={id}>{o.label}</label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function Radios(props: {
  name: string;
  legend: string;
  options: Option[];
  value?: string | null;
  hint?: string;
  error?: string;
  inline?: boolean;
}) {
  return <ChoiceGroup type="radio" {...props} selected={new Set(props.value ? [props.value] : [])} />;
}

export function Checkboxes(props: {
  name: string;
  legend: string;
  options: Option[];
  values?: string[];
  hint?: string;
  error?: string;
}) {
  return <ChoiceGroup type="checkbox" {...props} selected={new Set(props.values ?? [])} />;
}

export function SubmitButton({
  children,
  secondary,
  warning,
}: {
  children: ComponentChildren;
  secondary?: boolean;
  warning?: boolean;
}) {
  const kind = warning ? ' button-warning' : secondary ? ' button-secondary' : '';
  return (
    <button type="submit" class={`button${kind}`}>
      {children}
    </button>
  );
}

/** Codes with their Swedish labels, in the catalogue's order. */
export function optionsOf<C extends string>(codes: readonly C[], labels: Record<C, string>): Option[] {
  return codes.map((c) => ({ value: c, label: labels[c] }));
}

/** A file field (CSV or XLSX), with the same label, hint and error pattern as the other fields. */
export function FileInput(props: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  accept?: string;
}) {
  const { name, label, hint, error, accept = '.csv,.xlsx,text/csv' } = props;
  return (
    <div class={`field${error ? ' field-has-error' : ''}`}>
      <label for={fieldId(name)}>{label}</label>
      <Hint name={name} hint={hint} />
      <ErrorMessage name={name} error={error} />
      <input
        class="input input-long"
        id={fieldId(name)}
        name={name}
        type="file"
        accept={accept}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}
