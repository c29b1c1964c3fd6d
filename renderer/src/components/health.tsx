import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { engineText, renderMsg } from '../i18n/engine-text';
import { api, useEngine } from '../store/engine';

// The engine's health in words: why it is not green and where to fix it, from the
// same model the tray and `presslink status` use (shared/domain/health.ts). The
// header's badge says how things are; this says why, on every page.

export function HealthBanner({ page }: { page: string }) {
  useTranslation(); // re-render when the language changes
  const status = useEngine((s) => s.status);
  const [busy, setBusy] = useState(false);
  if (!status?.healthCause) return null;
  // "Needs attention" is named by the header's badge, which links to the list.
  if (status.health === 'attention' || status.health === 'syncing') return null;
  // Already where the fix is (the setup wizard, Troubleshooting).
  if (status.healthFix && !status.healthFix.action && status.healthFix.page === page) return null;
  const fix = status.healthFix;
  const act = async (action: 'resume' | 'restartSandbox') => {
    setBusy(true);
    try {
      if (action === 'resume') useEngine.getState().setStatus(await api.call('sync.resume', {}));
      else {
        await api.call('setup.useSandbox', {});
        await useEngine.getState().refresh();
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Alert
      color={status.health === 'error' ? 'red' : status.health === 'paused' ? 'gray' : 'blue'}
      variant="light"
      mb="md"
      data-testid="health-cause"
      data-health={status.health}
      role={status.health === 'error' ? 'alert' : 'status'}
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm">{engineText(null, status.healthCause)}</Text>
        {fix &&
          (fix.action ? (
            <Button size="xs" variant="default" loading={busy} onClick={() => void act(fix.action!)} data-testid="health-fix">
              {renderMsg(fix.label)}
            </Button>
          ) : (
            // "Go to Activate" opens the wizard on that step, not on its first step not done.
            <Button component="a" href={fix.label.key === 'health.fix.activate' ? '#/setup/activate' : `#/${fix.page}`} size="xs" data-testid="health-fix">
              {renderMsg(fix.label)}
            </Button>
          ))}
      </Group>
    </Alert>
  );
}
