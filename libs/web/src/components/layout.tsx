import type { ComponentChildren } from 'preact';
import { ROLE_LABELS, WEB_LABELS as W, WEB_TOOL_LABELS as T } from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import type { WebSession } from '../web-session.service';
import { ErrorSummary } from './forms';

export interface LayoutProps {
  title: string;
  session?: WebSession | null;
  flash?: string | null;
  errors?: FieldError[];
  /** The links above the heading, ending with the page itself (not linked). */
  breadcrumbs?: { href: string; label: string }[];
  children: ComponentChildren;
  /** Reload the page after this many seconds (a running import's progress; no script needed). */
  refreshSeconds?: number;
}

function navFor(session: WebSession): { href: string; label: string }[] {
  switch (session.scope.role) {
    case 'coordinator':
      return [
        { href: '/', label: W.coordinator.startTitle },
        { href: '/import', label: T.nav.imports },
        { href: '/datakvalitet', label: T.nav.dataQuality },
      ];
    case 'evaluator':
      return [
        { href: '/', label: W.home },
        { href: '/rapporter', label: W.reports.title },
        { href: '/styrelse', label: W.boardOverview },
        { href: '/enkater', label: T.nav.surveys },
        { href: '/import', label: T.nav.imports },
        { href: '/datakvalitet', label: T.nav.dataQuality },
        { href: '/nationell-uppfoljning', label: T.nav.nationalCount },
      ];
    case 'board':
      return [{ href: '/', label: W.overview }];
    case 'admin':
      return [
        { href: '/', label: W.admin.title },
        { href: '/admin/forbund', label: W.admin.associations },
        { href: '/admin/insatser', label: W.admin.interventions },
        { href: '/admin/anvandare', label: W.admin.users },
        { href: '/rapporter', label: W.reports.title },
        { href: '/styrelse', label: W.boardOverview },
        { href: '/status', label: W.admin.status },
        { href: '/enkater', label: T.nav.surveys },
        { href: '/import', label: T.nav.imports },
        { href: '/datakvalitet', label: T.nav.dataQuality },
        { href: '/nationell-uppfoljning', label: T.nav.nationalCount },
      ];
  }
}

/** Every page: Swedish, a skip link, one h1, a title naming the page, the role's menu and a logout button. */
export function Layout({
  title,
  session,
  flash,
  errors,
  breadcrumbs,
  children,
  refreshSeconds,
}: LayoutProps) {
  const pageTitle = errors?.length ? `${W.errorTitlePrefix}${W.pageTitle(title)}` : W.pageTitle(title);
  return (
    <html lang="sv">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {refreshSeconds ? <meta http-equiv="refresh" content={String(refreshSeconds)} /> : null}
        <title>{pageTitle}</title>
        <link rel="stylesheet" href="/web/app.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {W.skipLink}
        </a>
        <header class="site-header">
          <div class="container header-inner">
            <a class="service-name" href="/">
              {W.service}
            </a>
            {session ? (
              <div class="account">
                <span>{W.signedInAs(session.email, ROLE_LABELS[session.scope.role].toLowerCase())}</span>
                <form method="post" action="/logga-ut" class="inline-form">
                  <input type="hidden" name="_csrf" value={session.csrfToken} />
                  <button type="submit" class="button-link">
                    {W.logout}
                  </button>
                </form>
              </div>
            ) : null}
          </div>
          {session ? (
            <nav class="container main-nav" aria-label={W.nav}>
              <ul>
                {navFor(session).map((l) => (
                  <li key={l.href}>
                    <a href={l.href}>{l.label}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </header>
        <div class="container">
          {breadcrumbs?.length ? (
            <nav class="breadcrumbs" aria-label={W.breadcrumbs}>
              <ol>
                {breadcrumbs.map((b) => (
                  <li key={b.href}>
                    <a href={b.href}>{b.label}</a>
                  </li>
                ))}
                <li aria-current="page">{title}</li>
              </ol>
            </nav>
          ) : null}
          <main id="main" tabIndex={-1}>
            {errors?.length ? <ErrorSummary errors={errors} /> : null}
            {flash ? (
              <div class="notice-success" role="status">
                <p>{flash}</p>
              </div>
            ) : null}
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
