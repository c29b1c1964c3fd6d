import type { DB } from './open';
import { OutboxRepo } from './outbox-repo';
import { PostbacksRepo } from './postbacks-repo';
import { RunsRepo } from './runs-repo';
import { SettingsRepo } from './settings-repo';

// One repository per table the engine writes (orders has its own: OrdersRepo,
// `ctx.repo`). SQL lives in electron/core/db only; the rest of the engine calls
// these named queries.

export interface Repositories {
  outbox: OutboxRepo;
  postbacks: PostbacksRepo;
  runs: RunsRepo;
  settings: SettingsRepo;
}

export function openRepositories(db: DB): Repositories {
  return { outbox: new OutboxRepo(db), postbacks: new PostbacksRepo(db), runs: new RunsRepo(db), settings: new SettingsRepo(db) };
}
