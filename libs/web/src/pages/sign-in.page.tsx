import { WEB_LABELS as W } from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import { Csrf, errorOf, SubmitButton, TextInput } from '../components/forms';
import { Layout } from '../components/layout';

export function SignInPage(props: {
  csrf: string;
  email?: string;
  errors?: FieldError[];
  notice?: string | null;
}) {
  const { csrf, email, errors, notice } = props;
  return (
    <Layout title={W.login.title} errors={errors} flash={notice}>
      <h1>{W.login.title}</h1>
      <p>{W.login.intro}</p>
      <form method="post" action="/logga-in" novalidate>
        <Csrf token={csrf} />
        <TextInput
          name="email"
          label={W.login.email}
          type="email"
          autocomplete="username"
          value={email}
          error={errorOf(errors, 'email')}
        />
        <TextInput
          name="password"
          label={W.login.password}
          type="password"
          autocomplete="current-password"
          error={errorOf(errors, 'password')}
          width="medium"
        />
        <SubmitButton>{W.login.submit}</SubmitButton>
      </form>
    </Layout>
  );
}

export function MessagePage(props: {
  title: string;
  message: string;
  detail?: string;
  session?: Parameters<typeof Layout>[0]['session'];
}) {
  return (
    <Layout title={props.title} session={props.session}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      {props.detail ? <p class="hint">{props.detail}</p> : null}
      <p>
        <a href="/">{W.home}</a>
      </p>
    </Layout>
  );
}
