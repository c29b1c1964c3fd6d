import { Card, Group, NumberInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Cfg } from '../../api/config';
import { useAction } from '../../api/hooks';
import { CallErrorAlert, CopyBlock, CopyValue } from '../../components/common';
import { useFieldError } from './fields';
import { hasUnsavedChanges, useWizard } from './state';
import { triggerText } from './statusUpdates.rules';
import type { StepProps } from './types';

// Step 7: postback or polling. For postbacks, every GelatoConnect trigger is shown with a
// copy button for the whole trigger and one for each field. Validation is in
// statusUpdates.rules.ts.

export function StatusStep({ draft, setDraft, errors }: StepProps) {
  const { t } = useTranslation();
  const err = useFieldError(errors);
  const su = draft.statusUpdates ?? {};
  const mode = su.mode ?? 'polling';
  const triggers = useAction('postbacks.triggers');
  const changed = useWizard((s) => hasUnsavedChanges('statusUpdates', s));
  useEffect(() => {
    if (mode === 'postback') {
      triggers.setResult(null);
      void triggers.run({});
    }
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
          <TextInput
            label={t('setup.publicBaseUrl')}
            description={t('setup.publicBaseUrlHint')}
            value={draft.server?.publicBaseUrl ?? ''}
            error={err('server.publicBaseUrl')}
            onChange={(e) => {
              const v = e.currentTarget.value.trim();
              setDraft((d) => ({ ...d, server: { ...(d.server ?? {}), publicBaseUrl: v || undefined } }));
            }}
            data-testid="status-public-url"
          />
          <Text size="sm">{t('setup.status.triggersHint')}</Text>
          {changed && (
            <Text size="sm" c="dimmed" role="status">
              {t('setup.status.triggersAfterSave')}
            </Text>
          )}
          <CallErrorAlert error={triggers.error} onRetry={() => void triggers.run({})} />
          {!triggers.error &&
            triggers.result?.map((tr) => (
              <Card withBorder key={tr.event} data-testid={`trigger-${tr.event}`}>
                <Group justify="space-between" wrap="nowrap">
                  <Title order={4} size="h6">
                    {tr.name} ({tr.event})
                  </Title>
                  <CopyValue value={triggerText(tr, t)} label={t('setup.status.wholeTrigger', { name: tr.name })} text={t('setup.status.copyTrigger')} />
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
                  {Object.keys(tr.headers).length > 0 && (
                    <CopyBlock label={t('setup.status.headersFor', { name: tr.name })} value={Object.entries(tr.headers).map(([k, v]) => `${k}: ${v}`).join('\n')} />
                  )}
                  <CopyBlock label={t('setup.status.templateFor', { name: tr.name })} value={tr.template} maxHeight={180} />
                </Stack>
              </Card>
            ))}
        </>
      )}
    </Stack>
  );
}
