import { Alert, Badge, Button, Group, List, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OlderOrderPreview } from '../../../shared/contract';
import { CallErrorAlert, StateBadge } from '../components/common';
import { fmtDateTime, fmtNumber } from '../format';
import { olderOrderWarnings, type OlderWarning } from '../orders/older';
import { api } from '../store/engine';

// "Send older orders": the only way an order placed before go-live reaches production
// (docs/go-live.md). The admin selects orders in the log; this dialog first asks the engine
// what sending them would do (orders.olderPreview reads each from Infigo now: placed when,
// its status, whether it would be sent and what to know — cancelled, already shipped), then,
// on an explicit confirmation, sends the ones that can go (orders.sendOlder) and shows the
// ones refused with their reasons.

const MAX_PREVIEW = 200;

export function OlderOrdersModal({ ids, onClose, onSent }: { ids: number[] | null; onClose: () => void; onSent: () => void }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<{ orders: OlderOrderPreview[]; willSend: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<null | 'preview' | 'send'>(null);
  const [sent, setSent] = useState<{ changed: number; refused: { id: number; reason: string }[] } | null>(null);
  const opened = ids !== null;
  const tooMany = (ids?.length ?? 0) > MAX_PREVIEW;

  useEffect(() => {
    setPreview(null);
    setSent(null);
    setError(null);
    if (!ids || ids.length === 0 || ids.length > MAX_PREVIEW) return;
    let live = true;
    setBusy('preview');
    api
      .call('orders.olderPreview', { ids })
      .then((r) => live && setPreview(r))
      .catch((e: unknown) => live && setError(e))
      .finally(() => live && setBusy(null));
    return () => {
      live = false;
    };
  }, [ids]);

  const sendable = preview?.orders.filter((o) => o.willSend) ?? [];
  const send = async () => {
    setBusy('send');
    setError(null);
    try {
      const r = await api.call('orders.sendOlder', { ids: sendable.map((o) => o.id) });
      setSent(r);
      onSent();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const byId = new Map(preview?.orders.map((o) => [o.id, o]) ?? []);
  const warningText = (w: OlderWarning) => t(`older.warn.${w.key}`, w.values);

  return (
    <Modal opened={opened} onClose={onClose} title={t('older.title')} size="xl" centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack data-testid="older-dialog">
        <Text size="sm">{t('older.intro')}</Text>
        {tooMany && (
          <Alert color="yellow" role="status">
            {t('older.tooMany', { max: MAX_PREVIEW })}
          </Alert>
        )}
        {busy === 'preview' && (
          <Group gap="xs" role="status">
            <Loader size="xs" aria-hidden />
            <Text size="sm">{t('older.reading')}</Text>
          </Group>
        )}
        <CallErrorAlert error={error} />
        {preview && !sent && (
          <>
            <Table aria-label={t('older.previewTable')} data-testid="older-preview">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('orders.col.infigo')}</Table.Th>
                  <Table.Th>{t('orders.col.store')}</Table.Th>
                  <Table.Th>{t('older.placed')}</Table.Th>
                  <Table.Th>{t('older.inInfigo')}</Table.Th>
                  <Table.Th>{t('older.willSend')}</Table.Th>
                  <Table.Th>{t('older.notes')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.orders.map((o) => {
                  const warnings = olderOrderWarnings(o);
                  return (
                    <Table.Tr key={o.id} data-testid={`older-row-${o.id}`} data-will-send={o.willSend ? 'true' : 'false'}>
                      <Table.Td>{o.infigoOrderId}</Table.Td>
                      <Table.Td>{o.storeId}</Table.Td>
                      <Table.Td>{o.placedAt ? fmtDateTime(o.placedAt) : '—'}</Table.Td>
                      <Table.Td>{[o.orderStatus, o.shippingStatus].filter(Boolean).join(' · ') || '—'}</Table.Td>
                      <Table.Td>
                        {o.willSend ? (
                          <Badge color="green" variant="light" autoContrast>
                            {t('older.yes')}
                          </Badge>
                        ) : (
                          <Badge color="gray" variant="light" autoContrast>
                            {t('older.no')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {warnings.length ? (
                          <List size="xs" spacing={2}>
                            {warnings.map((w) => (
                              <List.Item key={w.key}>{warningText(w)}</List.Item>
                            ))}
                          </List>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <Text size="sm" role="status" data-testid="older-summary">
              {t('older.summary', { count: preview.willSend, total: fmtNumber(preview.orders.length) })}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button disabled={preview.willSend === 0} loading={busy === 'send'} onClick={() => void send()} data-testid="older-send">
                {t('older.send', { count: preview.willSend })}
              </Button>
            </Group>
          </>
        )}
        {sent && (
          <Stack gap="xs" data-testid="older-result">
            <Alert color="green" role="status">
              {t('older.sent', { count: sent.changed })}
            </Alert>
            {sent.refused.length > 0 && (
              <Alert color="orange" title={t('older.refusedTitle', { count: sent.refused.length })} data-testid="older-refused">
                <List size="sm">
                  {sent.refused.map((r) => {
                    const o = byId.get(r.id);
                    return (
                      <List.Item key={r.id}>
                        {o ? (
                          <>
                            {t('older.orderN', { id: o.infigoOrderId })}: <StateBadge state={o.state} /> {t('older.refusedState')}
                          </>
                        ) : (
                          r.reason
                        )}
                      </List.Item>
                    );
                  })}
                </List>
              </Alert>
            )}
            <Group justify="flex-end">
              <Button onClick={onClose} data-testid="older-close">
                {t('common.close')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Modal>
  );
}
