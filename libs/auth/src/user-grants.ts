import type { Role } from '@app/domain';

export interface Grants {
  associationIds: string[];
  interventionIds: string[];
}

/**
 * The scope rules of api-v1.md as a plain function: coordinators are scoped to interventions,
 * evaluators and board members to associations, admins to everything. Returns field errors.
 */
export function grantProblems(role: Role, grants: Grants): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (role === 'coordinator') {
    if (grants.interventionIds.length === 0)
      problems.push({ field: 'interventionIds', message: 'a coordinator needs at least one intervention' });
    if (grants.associationIds.length > 0)
      problems.push({
        field: 'associationIds',
        message: 'coordinators are scoped to interventions, not associations',
      });
  } else if (role === 'evaluator' || role === 'board') {
    if (grants.associationIds.length === 0)
      problems.push({ field: 'associationIds', message: `a ${role} user needs at least one association` });
    if (grants.interventionIds.length > 0)
      problems.push({
        field: 'interventionIds',
        message: `${role} users are scoped to associations, not interventions`,
      });
  } else if (grants.associationIds.length > 0 || grants.interventionIds.length > 0) {
    problems.push({
      field: grants.associationIds.length ? 'associationIds' : 'interventionIds',
      message: 'an admin sees everything and takes no scope',
    });
  }
  return problems;
}
