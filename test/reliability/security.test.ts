import { describe, it } from 'vitest';
import { expectSecure } from './security-assert';
import { securityRun } from './security-run';

describe('security sweep (full sandbox sync with postbacks, 200 orders)', () => {
  it('leaks no secret anywhere, refuses bad credentials on every inbound endpoint, keeps files and downloads contained', async () => {
    expectSecure(await securityRun({ orders: 200 }));
  });
});
