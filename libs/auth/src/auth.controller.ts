import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { IdPipe } from '@app/http/id.pipe';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AccessScope } from '@app/access/access-scope';
import { Can, Public, Scope } from '@app/access/access.decorators';
import {
  ChangePasswordDto,
  CreateUserDto,
  LoginDto,
  TokenResponse,
  UpdateUserDto,
  UserView,
} from './auth.dto';
import { AuthService } from './auth.service';
import { LoginLimitedException } from './login-limiter';
import { UsersService } from './users.service';

/** An account over its login limit answers 429 with Retry-After (seconds until it may try again). */
async function withRetryAfter<T>(res: Response, answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof LoginLimitedException) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    throw error;
  }
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiTooManyRequestsResponse({
    description: 'Too many login attempts from this address, or for this account (Retry-After says how long)',
  })
  login(@Body() dto: LoginDto, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    return withRetryAfter(res, this.auth.login(dto.email, dto.password));
  }

  @ApiBearerAuth()
  @Post('password')
  @HttpCode(200)
  @Can('changeOwnPassword')
  @ApiOkResponse({ type: TokenResponse, description: 'A fresh token; every earlier token of the user ends' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong current passwords for this account' })
  changePassword(
    @Scope() scope: AccessScope,
    @Body() dto: ChangePasswordDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenResponse> {
    return withRetryAfter(res, this.auth.changePassword(scope, dto.currentPassword, dto.newPassword));
  }

  @ApiBearerAuth()
  @Get('me')
  @Can('readOwnAccount')
  @ApiOkResponse({ type: UserView })
  me(@Scope() scope: AccessScope): Promise<UserView> {
    return this.users.me(scope);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Can('manageUsers')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  create(@Scope() scope: AccessScope, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(scope, dto);
  }

  @Get()
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Patch(':id')
  update(
    @Scope() scope: AccessScope,
    @Param('id', new IdPipe('id')) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(scope, id, dto);
  }
}
