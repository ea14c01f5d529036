import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessScope } from '@app/access/access-scope';
import type { InterventionView } from './registry.dto';
import { RegistryRepository } from './registry.repository';

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

  async requireAssociation(m: EntityManager, scope: AccessScope, id: string) {
    const [found] = await this.registry.listAssociations(m, scope, id);
    if (found) return found;
    if (await this.registry.associationExists(m, id)) {
      throw new ForbiddenException('This association is outside your scope');
    }
    throw new NotFoundException('No such association');
  }
}
