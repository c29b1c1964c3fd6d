import { Alert, Anchor, Button, Group, List, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivationInfo, StoreCutoverInfo } from '../../../../shared/contract';
import type { Cfg } from '../../api/config';
import { CallErrorAlert } from '../../components/common';
import { fmtDateTime, fmtNumber } from '../../format';
import { navigate } from '../../router';
import { deliverySummary } from '../../setup/address';
import { STEPS, stepNumber, type StepName } from '../../setup/steps';
import { api, useEngine } from '../../store/engine';

// Step 8: going live. Nothing is imported or submitted before it (docs/go-live.md): activation
// reads each store's newest order and records it as the store's cut-over — every order up to
// it was placed before go-live and is never sent unless a person sends it from the order log.
// The step shows what is not done yet (each a link), what activating does, asks to confirm,
// then shows each store's cut-over and "Live since …", with the way on: test orders (step 9)
// or the dashboard. Activated means done: this step's tick is the engine's activation.

/** One store's cut-over in words (translated): which orders count as placed before go-live. */
export function CutoverLine({ store }: { store: StoreCutoverInfo }) {
  const { t } = useTranslation();
  const name = store.name || store.storeId;
  let text: string;
  if (store.by === 'sandbox') text = t('setup.activate.cutover.sandbox', { name });
  else if (store.newestInfigoOrderId === null) text = t('setup.activate.cutover.later', { name });
  else if (store.newestInfigoOrderId === 0) text = t('setup.activate.cutover.none', { name });
  else if (store.newestCreatedOnUtc)
    text = t('setup.activate.cutover.upTo', { name, order: store.newestInfigoOrderId, date: fmtDateTime(store.newestCreatedOnUtc) });
  else text = t('setup.activate.cutover.upToNoDate', { name, order: store.newestInfigoOrderId });
  return (
    <List.Item data-testid={`cutover-${store.storeId}`}>
      <Text size="sm">{text}</Text>
    </List.Item>
  );
}

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
  /** Records this step as done (the engine is live now). */
  onActivated: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const status = useEngine((s) => s.status);
  const activatedAt = status?.activatedAt ?? null;
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [info, setInfo] = useState<ActivationInfo | null>(null);

  // Already live (activated earlier, or by "Try with the sandbox"): show the cut-overs. Activating
  // again changes nothing and answers them (setup.activate is idempotent).
  useEffect(() => {
    if (!activatedAt || info) return;
    api
      .call('setup.activate', {})
      .then(setInfo)
      .catch(() => undefined);
  }, [activatedAt, info]);

  const activate = async () => {
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('setup.activate', {});
      setInfo(r);
      await useEngine.getState().refresh();
      await onActivated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const before = STEPS.slice(0, STEPS.indexOf('activate'));
  const notDone = before.filter((n) => !doneSteps.includes(stepNumber(n)));
  const blocked = !configured || waiting.length > 0;
  const live = activatedAt ?? info?.activatedAt ?? null;
  const delivery = deliverySummary(draft);
  const stores = draft.stores ?? [];

  return (
    <Stack>
      <Text>{t('setup.activate.intro')}</Text>
      {!live && (
        <List size="sm" spacing={4}>
          <List.Item>{t('setup.activate.what.cutover')}</List.Item>
          <List.Item>{t('setup.activate.what.new', { count: draft.sync?.intervalMinutes ?? 15, minutes: draft.sync?.intervalMinutes ?? 15 })}</List.Item>
          <List.Item>{t('setup.activate.what.skipped')}</List.Item>
        </List>
      )}
      {notDone.length > 0 && !live && (
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
      {blocked && !live && (
        <Text size="sm" c="var(--mantine-color-red-light-color)" role="status">
          {t('setup.activate.needsConnections')}
        </Text>
      )}
      <Table aria-label={t('setup.activate.summary')}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">{t('settings.stores')}</Table.Th>
            <Table.Td>{stores.map((s) => s.name || s.id).join(', ') || '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('nav.mappings')}</Table.Th>
            <Table.Td>{fmtNumber((draft.products ?? []).length)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('setup.shipping.methods')}</Table.Th>
            <Table.Td>{fmtNumber(Object.keys(draft.shipping?.methods ?? {}).length)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('setup.delivery.files')}</Table.Th>
            <Table.Td data-testid="summary-delivery">
              {delivery.kind === 's3' ? t('setup.activate.filesS3', { bucket: delivery.bucket }) : delivery.kind === 'signed-url' ? t('setup.activate.filesSigned', { url: delivery.url }) : (
                <Text span size="sm" c="var(--mantine-color-red-light-color)">
                  {t('setup.activate.filesNone')}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('setup.status.parts.writer')}</Table.Th>
            <Table.Td>{stores.map((s) => `${s.name || s.id}: ${t(`setup.writer.short.${s.infigo?.statusWriter?.kind ?? 'none'}`)}`).join('; ') || '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('setup.status.mode')}</Table.Th>
            <Table.Td>{t(`setup.status.${draft.statusUpdates?.mode ?? 'polling'}`)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('settings.interval')}</Table.Th>
            <Table.Td>{fmtNumber(draft.sync?.intervalMinutes ?? 15)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {!live && (
        <Group>
          <Button color="green" loading={busy} disabled={blocked} onClick={() => setConfirming(true)} data-testid="setup-activate">
            {t('setup.activate.button')}
          </Button>
        </Group>
      )}
      <CallErrorAlert error={error} />
      {live && (
        <Alert color="green" role="status" data-testid="setup-active" title={t('setup.activate.liveSince', { at: fmtDateTime(live) })}>
          <Stack gap="xs">
            <Text size="sm">{t('setup.activate.active', { next: status?.nextSyncAt ? fmtDateTime(status.nextSyncAt) : '—', minutes: draft.sync?.intervalMinutes ?? 15 })}</Text>
            {info && info.stores.length > 0 && (
              <>
                <Title order={4} size="h6">
                  {t('setup.activate.cutoverTitle')}
                </Title>
                <List size="sm" spacing={2} data-testid="setup-cutovers">
                  {info.stores.map((s) => (
                    <CutoverLine key={s.storeId} store={s} />
                  ))}
                </List>
                {info.stores.some((s) => (s.newestInfigoOrderId ?? 0) > 0 && s.by !== 'sandbox') && (
                  <Text size="sm">
                    {t('setup.activate.olderHint')}{' '}
                    <Anchor href="#/orders/before_go_live" c="inherit" underline="always" onClick={(e) => (e.preventDefault(), navigate('orders', 'before_go_live'))}>
                      {t('setup.activate.olderLink')}
                    </Anchor>
                  </Text>
                )}
              </>
            )}
            <Group>
              <Button size="xs" onClick={() => onGo(stepNumber('testOrders'))} data-testid="setup-to-tests">
                {t('setup.activate.toTests')}
              </Button>
              <Button size="xs" variant="light" onClick={() => navigate('dashboard')} data-testid="setup-to-dashboard">
                {t('setup.activate.toDashboard')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('setup.activate.confirmTitle')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack data-testid="activate-confirm">
          <Text size="sm">{t('setup.activate.confirmText')}</Text>
          <List size="sm" spacing={4}>
            <List.Item>{t('setup.activate.what.cutover')}</List.Item>
            <List.Item>{t('setup.activate.what.new', { count: draft.sync?.intervalMinutes ?? 15, minutes: draft.sync?.intervalMinutes ?? 15 })}</List.Item>
          </List>
          {delivery.kind === 'none' && (
            <Alert color="orange" role="status">
              {t('setup.activate.confirmNoFiles')}
            </Alert>
          )}
          {notDone.length > 0 && (
            <Text size="sm" c="var(--mantine-color-orange-light-color)">
              {t('setup.activate.confirmNotDone', { count: notDone.length })}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)} data-testid="activate-cancel">
              {t('common.cancel')}
            </Button>
            <Button color="green" onClick={() => void activate()} data-testid="activate-confirm-button" data-autofocus>
              {t('setup.activate.confirmButton')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
