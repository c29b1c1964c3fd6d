import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Cfg } from '../../api/config';
import { CallErrorAlert } from '../../components/common';
import { fmtDateTime } from '../../format';
import { api, useEngine } from '../../store/engine';

export function ActivateStep({ draft, save }: { draft: Cfg; save: () => Promise<boolean> }) {
  const { t } = useTranslation();
  const status = useEngine((s) => s.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const activate = async () => {
    setBusy(true);
    setError(null);
    try {
      if (!(await save())) return;
      const s = await api.call('sync.resume', {});
      useEngine.getState().setStatus(s);
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Text>{t('setup.activate.intro')}</Text>
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
        <Button color="green" loading={busy} onClick={() => void activate()} data-testid="setup-activate">
          {t('setup.activate.button')}
        </Button>
      </Group>
      <CallErrorAlert error={error} />
      {(done || (status && !status.paused && status.configured)) && (
        <Alert color="green" role="status" data-testid="setup-active">
          {t('setup.activate.active', { next: status?.nextSyncAt ? fmtDateTime(status.nextSyncAt) : '—', minutes: draft.sync?.intervalMinutes ?? 15 })}
        </Alert>
      )}
    </Stack>
  );
}

