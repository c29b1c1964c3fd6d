import type { HandlersOf } from '../context';
import { buildDiagnostics } from '../diagnostics';

/** diagnostics.*: the redacted bundle support asks for. */
export const diagnosticsHandlers = {
  'diagnostics.bundle': async (ctx) => {
    // The checklist makes outside calls; a bundle must still come out when they fail.
    const checklist = await ctx.call('checklist.run', {}).catch((e: Error) => ({ unavailable: e.message }));
    return { json: JSON.stringify(buildDiagnostics(ctx, ctx.status(), checklist), null, 2) };
  },
} satisfies HandlersOf<'diagnostics'>;
