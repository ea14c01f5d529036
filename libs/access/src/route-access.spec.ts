import { Controller, Get, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AccessModule, RouteAccessCheck } from './route-access';
import { Can, Public } from './access.decorators';

@Controller('api/v1/declared')
class DeclaredController {
  @Get()
  @Can('readReports')
  list() {
    return [];
  }

  @Public()
  @Get('open')
  open() {
    return {};
  }
}

@Can('manageUsers')
@Controller('api/v1/class-level')
class ClassLevelController {
  @Post()
  create() {
    return {};
  }
}

@Controller('api/v1/forgotten')
class ForgottenController {
  @Get(':id')
  get() {
    return {};
  }
}

describe('RouteAccessCheck', () => {
  it('lists each route with the access it declares, on the method or the controller', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AccessModule],
      controllers: [DeclaredController, ClassLevelController],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    expect(app.get(RouteAccessCheck).routes()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'GET', path: '/api/v1/declared', access: 'readReports' }),
        expect.objectContaining({ method: 'GET', path: '/api/v1/declared/open', access: 'public' }),
        expect.objectContaining({ method: 'POST', path: '/api/v1/class-level', access: 'manageUsers' }),
      ]),
    );
    await app.close();
  });

  it('fails boot when a route declares neither @Can nor @Public', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AccessModule],
      controllers: [DeclaredController, ForgottenController],
    }).compile();
    const app = moduleRef.createNestApplication();
    await expect(app.init()).rejects.toThrow(
      /GET \/api\/v1\/forgotten\/:id \(ForgottenController.get\) declares neither/,
    );
    await app.close();
  });
});
