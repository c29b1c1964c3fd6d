import { Badge, Button, Card, Group, Modal, NumberInput, Radio, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostbackTrigger } from '../../../../shared/contract';
import type { Cfg } from '../../api/config';
import { CallErrorAlert, CopyBlock, CopyValue } from '../../components/common';
import { fmtDateTime } from '../../format';
import { api } from '../../store/engine';
import { hasUnsavedChanges, useWizard } from './state';
import { triggerText } from './statusUpdates.rules';

// Step 7, third part: how GelatoConnect's status changes reach Presslink — postbacks or
// polling. For postbacks every trigger is shown with a copy button for the whole trigger and
// one per field, marked when it is optional, and with its own test: while the step is open the
// triggers are asked again every few seconds, so "waiting for the first postback…" turns into
// "arrived at 14:02" as soon as GelatoConnect posts that event (postbacks.triggers:
// lastReceivedAt). "New secret" replaces the secret in every trigger address after a
// confirmation that each trigger must then be pasted again.

const REFRESH_MS = 5000;

export function PostbacksSection({ draft, setDraft, err }: { draft: Cfg; setDraft: (f: (d: Cfg) => Cfg) => void; err: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const su = draft.statusUpdates ?? {};
  const mode = su.mode ?? 'polling';
  const changed = useWizard((s) => hasUnsavedChanges('statusUpdates', s));
  const [triggers, setTriggers] = useState<PostbackTrigger[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [rotated, setRotated] = useState(false);
  const setSu = (patch: Partial<NonNullable<Cfg['statusUpdates']>>) => setDraft((d) => ({ ...d, statusUpdates: { ...(d.statusUpdates ?? {}), ...patch } }));

  // While postbacks are chosen: the triggers now, then again every few seconds (their test state).
  useEffect(() => {
    if (mode !== 'postback') return;
    let live = true;
    const load = () =>
      api
        .call('postbacks.triggers', {})
        .then((r) => {
          if (!live) return;
          setTriggers(r);
          setError(null);
        })
        .catch((e: unknown) => live && setError(e));
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [mode]);

  const rotate = async () => {
    setAsking(false);
    setRotating(true);
    setError(null);
    try {
      setTriggers(await api.call('postbacks.rotateSecret', {}));
      setRotated(true);
    } catch (e) {
      setError(e);
    } finally {
      setRotating(false);
    }
  };

  const arrived = (triggers ?? []).filter((tr) => tr.lastReceivedAt).length;

  return (
    <Stack data-testid="section-postbacks">
      <Title order={4} size="h5" id="from-gelato">
        {t('setup.status.fromGelatoTitle')}
      </Title>
      <Text size="sm">{t('setup.status.intro')}</Text>
      <Radio.Group label={t('setup.status.mode')} value={mode} onChange={(v) => setSu({ mode: v === 'postback' ? 'postback' : 'polling' })}>
        <Stack gap={6} mt={6}>
          <Radio value="postback" label={t('setup.status.postbackLabel')} description={t('setup.status.postbackHint')} />
          <Radio value="polling" label={t('setup.status.pollingLabel')} description={t('setup.status.pollingHint')} />
        </Stack>
      </Radio.Group>
      {mode === 'polling' && (
        <NumberInput
          label={t('setup.status.pollMinutes')}
          min={1}
          max={1440}
          value={su.pollMinutes ?? 10}
          error={err('statusUpdates.pollMinutes')}
          onChange={(v) => setSu({ pollMinutes: typeof v === 'number' ? v : Number(v) })}
          w={220}
        />
      )}
      {mode === 'postback' && (
        <>
          <Text size="sm">{t('setup.status.triggersHint')}</Text>
          <Text size="sm">{t('setup.status.keepsPolling')}</Text>
          {changed && (
            <Text size="sm" c="dimmed" role="status">
              {t('setup.status.triggersAfterSave')}
            </Text>
          )}
          <Group justify="space-between">
            <Text size="sm" role="status" data-testid="triggers-arrived">
              {triggers ? t('setup.status.arrivedCount', { count: arrived, total: triggers.length }) : t('common.loading')}
            </Text>
            <Button size="xs" variant="default" loading={rotating} onClick={() => setAsking(true)} data-testid="postbacks-rotate">
              {t('setup.status.rotate')}
            </Button>
          </Group>
          {rotated && (
            <Text size="sm" c="var(--mantine-color-orange-light-color)" role="status" data-testid="postbacks-rotated">
              {t('setup.status.rotated')}
            </Text>
          )}
          <CallErrorAlert error={error} />
          {triggers?.map((tr) => (
            <Card withBorder key={tr.event} data-testid={`trigger-${tr.event}`} data-arrived={tr.lastReceivedAt ? 'true' : 'false'}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Group gap={6}>
                  <Title order={5} size="h6">
                    {tr.name} ({tr.event})
                  </Title>
                  {tr.optional && (
                    <Badge size="sm" color="gray" variant="light" autoContrast>
                      {t('setup.status.optional')}
                    </Badge>
                  )}
                </Group>
                <CopyValue value={triggerText(tr, t)} label={t('setup.status.wholeTrigger', { name: tr.name })} text={t('setup.status.copyTrigger')} />
              </Group>
              {tr.optional && (
                <Text size="xs" c="dimmed" mt={4}>
                  {t('setup.status.optionalNote')}
                </Text>
              )}
              <Group mt={4} role="status" data-testid={`trigger-state-${tr.event}`}>
                {tr.lastReceivedAt ? (
                  <Badge color="green" variant="light" autoContrast>
                    {t('setup.status.arrivedAt', { at: fmtDateTime(tr.lastReceivedAt) })}
                  </Badge>
                ) : (
                  <Text span size="sm" c="dimmed">
                    {t('setup.status.waitingFirst')}
                  </Text>
                )}
              </Group>
              <Stack gap={6} mt="xs">
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {tr.method}
                  </Text>
                  <Text size="sm" style={{ wordBreak: 'break-all', flex: 1 }}>
                    {tr.url}
                  </Text>
                  <CopyValue value={tr.url} label={`${tr.name} URL`} />
                </Group>
                <Group gap="xs">
                  <Text size="sm">
                    {t('setup.status.format')}: {tr.format}
                  </Text>
                  <CopyValue value={tr.format} label={t('setup.status.formatOf', { name: tr.name })} />
                </Group>
                {Object.keys(tr.headers).length > 0 && (
                  <CopyBlock label={t('setup.status.headersFor', { name: tr.name })} value={Object.entries(tr.headers).map(([k, v]) => `${k}: ${v}`).join('\n')} />
                )}
                <CopyBlock label={t('setup.status.templateFor', { name: tr.name })} value={tr.template} maxHeight={180} />
              </Stack>
            </Card>
          ))}
        </>
      )}
      <Modal opened={asking} onClose={() => setAsking(false)} title={t('setup.status.rotateTitle')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack data-testid="postbacks-rotate-confirm">
          <Text size="sm">{t('setup.status.rotateText')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red.9" onClick={() => void rotate()} data-testid="postbacks-rotate-yes" data-autofocus>
              {t('setup.status.rotateYes')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
