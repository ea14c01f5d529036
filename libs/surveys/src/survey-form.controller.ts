import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/access/access.decorators';
import { SurveyFormService, type FormAnswer } from './survey-form.service';

function send(res: Response, answer: FormAnswer): string {
  res.status(answer.status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  // The page holds the token in its form action: never cached, never sent on as a referrer.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  return answer.html;
}

/** The anonymous answer form (Swedish). No login: the one-time token in the path is the capability. */
@ApiExcludeController()
@Controller('enkat')
export class SurveyFormController {
  constructor(private readonly form: SurveyFormService) {}

  @Get(':token')
  @Public()
  async show(@Param('token') token: string, @Res({ passthrough: true }) res: Response) {
    return send(res, await this.form.show(token));
  }

  @Post(':token')
  @Public()
  async submit(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.form.submit(token, body));
  }
}
