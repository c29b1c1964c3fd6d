import type { HandlersOf } from '../context';

/** engine.*: the status every face shows. */
export const engineHandlers = {
  'engine.status': (ctx) => ctx.status(),
} satisfies HandlersOf<'engine'>;
