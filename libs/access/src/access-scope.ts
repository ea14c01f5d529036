import type { Role } from '@app/domain';

/**
 * What the caller may see, resolved once per request and passed explicitly into every query that
 * touches participant data or association results. Repositories take it as a required argument.
 */
export interface AccessScope {
  readonly userId: string;
  readonly role: Role;
  /** Admins see every association. */
  readonly allAssociations: boolean;
  /** Associations the caller belongs to (for coordinators: those of their interventions). */
  readonly associationIds: readonly string[];
  /** Interventions a coordinator works in; empty for other roles (they see whole associations). */
  readonly interventionIds: readonly string[];
  readonly correlationId?: string;
}

/**
 * SQL condition limiting an intervention alias to the caller's scope. Pushes its parameters onto
 * `params` (positional $n). Coordinators see their own interventions, others whole associations.
 */
export function interventionInScope(scope: AccessScope, alias: string, params: unknown[]): string {
  if (scope.allAssociations) return 'TRUE';
  if (scope.role === 'coordinator') {
    params.push(scope.interventionIds);
    return `${alias}.id = ANY($${params.length}::uuid[])`;
  }
  params.push(scope.associationIds);
  return `${alias}.association_id = ANY($${params.length}::uuid[])`;
}

/** SQL condition limiting an association alias to the caller's scope (see interventionInScope). */
export function associationInScope(scope: AccessScope, alias: string, params: unknown[]): string {
  if (scope.allAssociations) return 'TRUE';
  params.push(scope.associationIds);
  return `${alias}.id = ANY($${params.length}::uuid[])`;
}

export function canSeeIntervention(
  scope: AccessScope,
  intervention: { id: string; associationId: string },
): boolean {
  if (scope.allAssociations) return true;
  if (scope.role === 'coordinator') return scope.interventionIds.includes(intervention.id);
  return scope.associationIds.includes(intervention.associationId);
}
