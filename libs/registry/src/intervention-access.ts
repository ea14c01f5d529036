import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import type { InterventionView } from './registry.dto';
import { RegistryRepository, type InterventionWithAssociation } from './registry.repository';

/**
 * Looks an intervention up through the caller's scope. Outside the scope the answer is 403 (api-v1:
 * "403 when the role or scope does not allow the call"); an id that does not exist at all is 404.
 */
@Injectable()
export class InterventionAccess {
  constructor(private readonly registry: RegistryRepository) {}

  async require(m: EntityManager, scope: AccessScope, id: string): Promise<InterventionView> {
    const [found] = await this.registry.listInterventions(m, scope, { id });
    if (found) return found;
    if (await this.registry.interventionExists(m, id)) {
      throw new ForbiddenException('This intervention is outside your scope');
    }
    throw new NotFoundException('No such intervention');
  }

  /** As `require`, with the insats' association (its name and k) from the same query. */
  async requireWithAssociation(
    m: EntityManager,
    scope: AccessScope,
    id: string,
  ): Promise<InterventionWithAssociation> {
    const [found] = await this.registry.listInterventionsWithAssociation(m, scope, { id });
    if (found) return found;
    await this.require(m, scope, id); // 403 outside the scope, 404 for no such insats
    throw new ForbiddenException('This association is outside your scope');
  }

  /**
   * An association in the caller's scope (403 outside it, 404 for none) and its insatser the caller may see,
   * from one query when it has any.
   */
  async requireAssociationWithInterventions(m: EntityManager, scope: AccessScope, associationId: string) {
    const interventions = await this.registry.listInterventionsWithAssociation(m, scope, { associationId });
    if (interventions.length > 0) return { association: interventions[0].association, interventions };
    const association = await this.requireAssociation(m, scope, associationId);
    return { association, interventions };
  }

  async requireAssociation(m: EntityManager, scope: AccessScope, id: string) {
    const [found] = await this.registry.listAssociations(m, scope, id);
    if (found) return found;
    if (await this.registry.associationExists(m, id)) {
      throw new ForbiddenException('This association is outside your scope');
    }
    throw new NotFoundException('No such association');
  }
}
