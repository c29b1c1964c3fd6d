import { Alert, Anchor, Button, Group, List, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Cfg } from '../../api/config';
import { CallErrorAlert } from '../../components/common';
import { fmtDateTime } from '../../format';
import { navigate } from '../../router';
import { STEPS, stepNumber, type StepName } from '../../setup/steps';
import { api, useEngine } from '../../store/engine';

// Step 9: the summary, what is not done yet (each a link to its step), and activation, which
// resumes the sync schedule and counts as this step done.

export function ActivateStep({
  draft,
  done: doneSteps,
  waiting,
  configured,
  onGo,
  onActivated,
}: {
  draft: Cfg;
  done: number[];
  waiting: StepName[];
  configured: boolean;
  onGo: (step: number) => void;
  onActivated: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const status = useEngine((s) => s.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const activate = async () => {
    setBusy(true);
    setError(null);
    try {
      const s = await api.call('sync.resume', {});
      useEngine.getState().setStatus(s);
      setDone(true);
      await onActivated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const notDone = STEPS.filter((n) => n !== 'activate' && !doneSteps.includes(stepNumber(n)));
  const blocked = !configured || waiting.length > 0;
  return (
    <Stack>
      <Text>{t('setup.activate.intro')}</Text>
      {notDone.length > 0 && (
        <Alert color={blocked ? 'red' : 'yellow'} title={t('setup.activate.notDoneTitle', { count: notDone.length })} data-testid="setup-not-done">
          <List size="sm">
            {notDone.map((n) => (
              <List.Item key={n}>
                <Anchor component="button" type="button" c="inherit" underline="always" onClick={() => onGo(stepNumber(n))}>
                  {t('setup.stepN', { n: stepNumber(n), name: t(`setup.steps.${n}`) })}
                </Anchor>
                {waiting.includes(n) ? ` — ${t('setup.waitingShort')}` : ''}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {blocked && (
        <Text size="sm" c="var(--mantine-color-red-light-color)" role="status">
          {t('setup.activate.needsConnections')}
        </Text>
      )}
      <Table aria-label={t('setup.activate.summary')}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">{t('settings.stores')}</Table.Th>
            <Table.Td>{(draft.stores ?? []).map((s) => s.name || s.id).join(', ') || '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('nav.mappings')}</Table.Th>
            <Table.Td>{(draft.products ?? []).length}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('setup.shipping.methods')}</Table.Th>
            <Table.Td>{Object.keys(draft.shipping?.methods ?? {}).length}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('setup.status.mode')}</Table.Th>
            <Table.Td>{t(`setup.status.${draft.statusUpdates?.mode ?? 'polling'}`)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('settings.interval')}</Table.Th>
            <Table.Td>{draft.sync?.intervalMinutes ?? 15}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Group>
        <Button color="green" loading={busy} disabled={blocked} onClick={() => void activate()} data-testid="setup-activate">
          {t('setup.activate.button')}
        </Button>
      </Group>
      <CallErrorAlert error={error} />
      {(done || (status && !status.paused && status.configured)) && (
        <Alert color="green" role="status" data-testid="setup-active">
          <Stack gap="xs">
            <Text size="sm">{t('setup.activate.active', { next: status?.nextSyncAt ? fmtDateTime(status.nextSyncAt) : '—', minutes: draft.sync?.intervalMinutes ?? 15 })}</Text>
            <Group>
              <Button size="xs" variant="light" onClick={() => navigate('dashboard')} data-testid="setup-to-dashboard">
                {t('setup.activate.toDashboard')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

