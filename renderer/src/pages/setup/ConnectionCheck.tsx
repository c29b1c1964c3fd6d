import { Alert, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CheckResults } from '../../components/common';
import { dedupeRepeats } from '../../components/checkText';
import { fingerprint, type ConnectionSpec } from '../../setup/connection';
import type { StepName } from '../../setup/steps';
import { connectionKey, useWizard } from './state';

/**
 * The results of a connection check for exactly the values now in the fields. A run for other
 * values is never shown beside them: after an edit the step says the check is out of date.
 */
export function ConnectionCheck({ step, spec, title }: { step: StepName; spec: ConnectionSpec; title?: string }) {
  const { t } = useTranslation();
  const fp = fingerprint(spec);
  const run = useWizard((s) => s.runs[fp]);
  const last = useWizard((s) => s.lastChecked[connectionKey(step, spec)]);
  const testId = `connection-${spec.id}`;
  if (!run) {
    if (last && last !== fp) {
      return (
        <Text size="sm" c="dimmed" role="status" data-testid={`${testId}-stale`}>
          {t('setup.check.changed')}
        </Text>
      );
    }
    return null;
  }
  return (
    <Stack gap="xs" data-testid={testId} data-state={run.state}>
      {title && (
        <Text fw={600} size="sm">
          {title}
        </Text>
      )}
      {run.state === 'running' && (
        <Group gap="xs" role="status">
          <Loader size="xs" aria-hidden />
          <Text size="sm">{t('setup.check.running')}</Text>
        </Group>
      )}
      {run.state === 'error' && (
        <Alert color="red" role="alert" title={t('setup.check.couldNotRun')}>
          {dedupeRepeats(run.message)}
        </Alert>
      )}
      {run.state === 'done' && <CheckResults results={run.results} />}
    </Stack>
  );
}
