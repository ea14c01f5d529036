import { WEB_LABELS as W } from '@app/domain';
import type { AssociationView, InterventionView } from '@app/registry/registry.dto';
import { Layout } from '../components/layout';
import type { WebSession } from '../web-session.service';

export function EvaluatorStartPage(props: {
  session: WebSession;
  flash: string | null;
  associations: AssociationView[];
  interventions: InterventionView[];
  period: string;
}) {
  const { session, flash, associations, interventions, period } = props;
  return (
    <Layout title={W.home} session={session} flash={flash}>
      <h1>{W.home}</h1>
      <p class="lead">{W.reports.intro}</p>
      {associations.map((a) => (
        <section key={a.id} aria-labelledby={`assoc-${a.id}`}>
          <h2 id={`assoc-${a.id}`}>{a.name}</h2>
          <ul>
            <li>
              <a href={`/rapporter?typ=forbund&forbund=${a.id}&period=${period}`}>
                {W.reports.title}: {W.reports.scopeAssociation.toLowerCase()}
              </a>
            </li>
            <li>
              <a href={`/styrelse/${a.id}`}>{W.boardOverview}</a>
            </li>
            {interventions
              .filter((i) => i.associationId === a.id)
              .map((i) => (
                <li key={i.id}>
                  <a href={`/rapporter?typ=insats&insats=${i.id}&period=${period}`}>
                    {W.reports.title}: {i.name}
                  </a>
                </li>
              ))}
          </ul>
        </section>
      ))}
      <h2>{W.reports.scopeRegion}</h2>
      <ul>
        <li>
          <a href={`/rapporter?typ=region&period=${period}`}>{W.reports.scopeRegion}</a>
        </li>
        <li>
          <a href="/status">{W.admin.status}</a>
        </li>
      </ul>
    </Layout>
  );
}

export function ChooseAssociationPage(props: { session: WebSession; associations: AssociationView[] }) {
  return (
    <Layout title={W.board.chooseAssociation} session={props.session}>
      <h1>{W.board.chooseAssociation}</h1>
      <ul>
        {props.associations.map((a) => (
          <li key={a.id}>
            <a href={`/styrelse/${a.id}`}>{W.board.title(a.name)}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
