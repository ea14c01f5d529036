import { getQueueToken } from '@nestjs/bullmq';
import type { ModuleRef } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { WEB_LABELS as W } from '@app/domain';
import { QueueName } from '@app/queue/queues';
import { sendPage } from './html-response';
import { MessagePage } from './pages/sign-in.page';
import type { WebSessionService } from './web-session.service';

export const QUEUE_DASHBOARD_PATH = '/admin/koer';

/** Every queue of the QueueName enum that this app has registered (new queues show up by themselves). */
function registeredQueues(moduleRef: ModuleRef): Queue[] {
  const queues: Queue[] = [];
  for (const name of Object.values(QueueName)) {
    try {
      queues.push(moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    } catch {
      // Not registered in this app.
    }
  }
  return queues;
}

/**
 * bull-board's job-queue dashboard as express middleware, behind the same web session as every page:
 * no session → the login form, a role other than admin → 403.
 */
export function queueDashboard(moduleRef: ModuleRef, sessions: WebSessionService) {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: registeredQueues(moduleRef).map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: W.admin.queues } },
  });
  const guard = (req: Request, res: Response, next: NextFunction) => {
    sessions
      .resolve(req)
      .then((session) => {
        if (!session) return res.redirect(303, '/');
        if (session.scope.role !== 'admin') {
          return sendPage(
            req,
            res,
            MessagePage({ title: W.errors.forbiddenTitle, message: W.errors.forbidden, session }),
            403,
          );
        }
        // Any POST/PUT of the dashboard (retry, clean) must come from this origin's pages.
        if (req.method !== 'GET' && req.headers.origin && !sameOrigin(req)) return res.status(403).end();
        next();
      })
      .catch(next);
  };
  return [guard, serverAdapter.getRouter()] as const;
}

function sameOrigin(req: Request): boolean {
  try {
    return new URL(req.headers.origin as string).host === req.headers.host;
  } catch {
    return false;
  }
}
