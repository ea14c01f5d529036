import 'reflect-metadata';
import { loadEnvironment } from '@config/environment';
import { startWorker } from './worker';

async function main(): Promise<void> {
  const env = loadEnvironment(process.env);
  if (!env.DATABASE_URL) {
    // An embedded database belongs to the process that started it (npm start runs both halves in one).
    throw new Error(
      'The worker needs DATABASE_URL; use `npm start` to run API and worker with an embedded database',
    );
  }
  await startWorker();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
