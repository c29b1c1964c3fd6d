import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAction } from '../api/hooks';
import { CallErrorAlert, CheckResults, checkSummary } from '../components/common';

// The doctor's checks. A new run clears the results of the one before, so an error is never
// shown beside results it did not produce.

export function TroubleshootingPage() {
  const { t } = useTranslation();
  const doctor = useAction('doctor.run');
  const results = doctor.result;
  const sum = results ? checkSummary(results) : null;
  return (
    <Stack>
      <Title order={2}>{t('troubleshooting.title')}</Title>
      <Text>{t('troubleshooting.intro')}</Text>
      <Group>
        <Button
          onClick={() => {
            doctor.setResult(null);
            void doctor.run({});
          }}
          loading={doctor.busy}
          data-testid="doctor-run"
        >
          {results ? t('troubleshooting.runAgain') : t('troubleshooting.run')}
        </Button>
        {sum && (
          <Text size="sm" role="status">
            {t('check.summary', sum)}
          </Text>
        )}
      </Group>
      <CallErrorAlert error={doctor.error} />
      {doctor.busy && (
        <Text size="sm" role="status">
          {t('troubleshooting.running')}
        </Text>
      )}
      {results && !doctor.error && <CheckResults results={results} />}
      <Title order={3} size="h4">
        {t('troubleshooting.commonTitle')}
      </Title>
      <Stack gap="xs">
        {(['ordersMissing', 'filesMissing', 'mapping', 'statusUpdates', 'mixed', 'shipping'] as const).map((k) => (
          <div key={k}>
            <Text fw={600}>{t(`troubleshooting.common.${k}.problem`)}</Text>
            <Text size="sm">{t(`troubleshooting.common.${k}.fix`)}</Text>
          </div>
        ))}
      </Stack>
    </Stack>
  );
}
