import { Button, Group, List, Progress, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckResult } from '../../../shared/contract';
import { useAction } from '../api/hooks';
import { CallErrorAlert, CheckResults, checkSummary } from '../components/common';
import { api } from '../store/engine';

/** The test-order checklist; also embedded as step 8 of the setup wizard. */
export function ChecklistPanel({ sandbox }: { sandbox?: boolean }) {
  const { t } = useTranslation();
  const run = useAction('checklist.run');
  const place = useAction('checklist.placeTestOrders');
  const [results, setResults] = useState<CheckResult[] | null>(null);
  const [waiveBusy, setWaiveBusy] = useState<string | null>(null);
  const [waiveError, setWaiveError] = useState<unknown>(null);

  const doRun = async () => {
    const r = await run.run({});
    if (r) setResults(r);
  };
  const waive = async (id: string, waived: boolean) => {
    setWaiveBusy(id);
    setWaiveError(null);
    try {
      setResults(await api.call('checklist.waive', { id, waived }));
    } catch (e) {
      setWaiveError(e);
    } finally {
      setWaiveBusy(null);
    }
  };
  const sum = results ? checkSummary(results) : null;
  const done = sum ? sum.pass + sum.waived : 0;

  return (
    <Stack>
      <Text>{t('checklist.intro')}</Text>
      <List size="sm" type="ordered">
        {(['place', 'verify', 'files', 'endToEnd', 'tracking', 'mixed', 'shipping', 'types'] as const).map((k) => (
          <List.Item key={k}>{t(`checklist.steps.${k}`)}</List.Item>
        ))}
      </List>
      <Group>
        <Button onClick={() => void doRun()} loading={run.busy} data-testid="checklist-run">
          {results ? t('checklist.runAgain') : t('checklist.run')}
        </Button>
        {sandbox && (
          <Button variant="light" onClick={() => void place.run({}).then(() => doRun())} loading={place.busy} data-testid="checklist-place">
            {t('checklist.placeTestOrders')}
          </Button>
        )}
      </Group>
      {place.result && (
        <Text size="sm" role="status">
          {t('checklist.placed', { count: place.result.placed.length })}
        </Text>
      )}
      <CallErrorAlert error={run.error ?? place.error ?? waiveError} />
      {sum && results && (
        <Stack gap={4}>
          <Progress value={results.length ? (done / results.length) * 100 : 0} aria-label={t('checklist.progress')} color={sum.fail ? 'orange' : 'green'} />
          <Text size="sm" role="status">
            {t('check.summary', sum)}
          </Text>
        </Stack>
      )}
      {results && <CheckResults results={results} onWaive={(id, w) => void waive(id, w)} busyId={waiveBusy} />}
    </Stack>
  );
}

export function ChecklistPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('checklist.title')}</Title>
      {/* The engine refuses test orders outside the sandbox and says why; the button is always offered. */}
      <ChecklistPanel sandbox />
    </Stack>
  );
}
