import type { Job } from 'bullmq';
import { JobName } from '@app/queue/queues';

export interface JobHandler {
  readonly name: JobName;
  handle(job: Job): Promise<unknown>;
}

/** Maps each job name to its one handler; refuses to be built if any job has none or two. */
export class JobHandlerRegistry {
  private readonly byName: Map<JobName, JobHandler>;

  constructor(handlers: JobHandler[]) {
    const problems: string[] = [];
    for (const name of Object.values(JobName)) {
      const count = handlers.filter((h) => h.name === name).length;
      if (count !== 1) problems.push(`${name} has ${count} handlers`);
    }
    if (problems.length) throw new Error(`Job handlers are wrong: ${problems.join('; ')}`);
    this.byName = new Map(handlers.map((h) => [h.name, h]));
  }

  handle(job: Job): Promise<unknown> {
    const handler = this.byName.get(job.name as JobName);
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    return handler.handle(job);
  }
}
