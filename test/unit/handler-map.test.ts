import { describe, expect, it } from 'vitest';
import { calls, type CallName } from '../../shared/contract';
import type { HandlerMap, HandlersOf } from '../../electron/core/context';
import { handlers } from '../../electron/core/handlers/index';
import { syncHandlers } from '../../electron/core/handlers/sync';

// The engine's handler map is checked by the compiler: one handler for every
// call of the contract, no more. The @ts-expect-error lines below are part of
// `npm run typecheck`: if a map missing a call ever type-checked, the directive
// itself would fail the typecheck.

describe('handler map', () => {
  it('has exactly one handler per call of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual((Object.keys(calls) as CallName[]).sort());
    for (const h of Object.values(handlers)) expect(typeof h).toBe('function');
  });

  it('does not type-check without a handler (compile-time)', () => {
    const { 'engine.status': removed, ...withoutOne } = handlers;
    // @ts-expect-error — a map without engine.status is not a HandlerMap
    const incomplete: HandlerMap = withoutOne;
    const { 'sync.pause': alsoRemoved, ...syncWithoutOne } = syncHandlers;
    // @ts-expect-error — a namespace module must serve every call of its namespace
    const incompleteSync: HandlersOf<'sync'> = syncWithoutOne;
    expect(typeof removed).toBe('function');
    expect(typeof alsoRemoved).toBe('function');
    expect(Object.keys(incomplete)).not.toContain('engine.status');
    expect(Object.keys(incompleteSync)).toEqual(['sync.now', 'sync.resume']);
  });
});
