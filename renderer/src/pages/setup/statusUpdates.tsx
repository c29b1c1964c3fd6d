import { Card, Group, NumberInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Cfg } from '../../api/config';
import { useAction } from '../../api/hooks';
import { CallErrorAlert, CopyBlock, CopyValue } from '../../components/common';
import type { StepProps } from './types';

export function StatusStep({ draft, setDraft }: StepProps) {
  const { t } = useTranslation();
  const su = draft.statusUpdates ?? {};
  const mode = su.mode ?? 'polling';
  const triggers = useAction('postbacks.triggers');
  useEffect(() => {
    if (mode === 'postback') void triggers.run({});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode]);
  const setSu = (patch: Partial<NonNullable<Cfg['statusUpdates']>>) => setDraft((d) => ({ ...d, statusUpdates: { ...(d.statusUpdates ?? {}), ...patch } }));

  return (
    <Stack>
      <Text>{t('setup.status.intro')}</Text>
      <Radio.Group label={t('setup.status.mode')} value={mode} onChange={(v) => setSu({ mode: v === 'postback' ? 'postback' : 'polling' })}>
        <Stack gap={6} mt={6}>
          <Radio value="postback" label={t('setup.status.postbackLabel')} description={t('setup.status.postbackHint')} />
          <Radio value="polling" label={t('setup.status.pollingLabel')} description={t('setup.status.pollingHint')} />
        </Stack>
      </Radio.Group>
      {mode === 'polling' && (
        <NumberInput label={t('setup.status.pollMinutes')} min={1} max={1440} value={su.pollMinutes ?? 10} onChange={(v) => setSu({ pollMinutes: Number(v) || 10 })} w={220} />
      )}
      {mode === 'postback' && (
        <>
          <TextInput
            label={t('setup.publicBaseUrl')}
            description={t('setup.publicBaseUrlHint')}
            value={draft.server?.publicBaseUrl ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value.trim();
              setDraft((d) => ({ ...d, server: { ...(d.server ?? {}), publicBaseUrl: v || undefined } }));
            }}
          />
          <Text size="sm">{t('setup.status.triggersHint')}</Text>
          <CallErrorAlert error={triggers.error} onRetry={() => void triggers.run({})} />
          {triggers.result?.map((tr) => (
            <Card withBorder key={tr.event} data-testid={`trigger-${tr.event}`}>
              <Group justify="space-between">
                <Title order={4} size="h6">
                  {tr.name} ({tr.event})
                </Title>
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
                <Text size="sm">
                  {t('setup.status.format')}: {tr.format}
                </Text>
                {Object.keys(tr.headers).length > 0 && <CopyBlock label={t('setup.status.headers')} value={Object.entries(tr.headers).map(([k, v]) => `${k}: ${v}`).join('\n')} />}
                <CopyBlock label={t('setup.status.template')} value={tr.template} maxHeight={180} />
              </Stack>
            </Card>
          ))}
        </>
      )}
    </Stack>
  );
}

