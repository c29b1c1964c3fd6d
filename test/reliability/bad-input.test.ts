import { describe, it } from 'vitest';
import { expectBadInputHandled } from './bad-input-assert';
import { badInputRun } from './bad-input-run';

// Every fixture in test/fixtures/bad-input in one sync run beside two good orders.
describe('bad input corpus', () => {
  it('ends each bad order in its specific state with a readable reason, and submits the good ones', async () => {
    expectBadInputHandled(await badInputRun());
  });
});
