import { Anchor, Badge, Button, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckResult } from '../../../shared/contract';
import { useAction } from '../api/hooks';
import { dedupeRepeats } from '../components/checkText';
import { CallErrorAlert, CheckResults, checkSummary } from '../components/common';
import { navigate } from '../router';
import { CHECKLIST_POINTS, coalescer, nextAction, pointKey } from '../setup/checklist';
import { api, useEngine } from '../store/engine';
import { checkFix, checkTitle, engineText } from '../i18n/engine-text';
import { fmtDateTime } from '../format';

// The test-order checklist (also step 9 of the wizard, after Activate: nothing is imported
// before activation, so test orders placed in a real store flow only then). It shows the last
// results at once with their time (checklist.last, kept across reloads and restarts), runs when
// it opens and again as orders move (order.changed, sync.finished), so results never wait for a
// "Run again"; it leads with the next thing to do, and lists each point once. Which way test
// orders are placed follows engine.status().sandbox: the sandbox places them itself; a real
// store's are placed by the admin in the store.

export function ChecklistPanel({ embedded = false, onSettled }: { embedded?: boolean; onSettled?: () => void }) {
  const { t } = useTranslation();
  const place = useAction('checklist.placeTestOrders');
  const sync = useAction('sync.now');
  const restart = useAction('setup.useSandbox');
  const status = useEngine((s) => s.status);
  const sandbox = status ? status.sandbox : undefined;
  const activated = status ? !!status.activatedAt : null;
  const [results, setResults] = useState<CheckResult[] | null>(null);
  const [at, setAt] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<unknown>(null);
  const [waiveBusy, setWaiveBusy] = useState<string | null>(null);
  const [waiveError, setWaiveError] = useState<unknown>(null);
  const seq = useRef(0);
  const ranOnce = useRef(false);

  const run = useCallback(async () => {
    const my = ++seq.current;
    setRunning(true);
    try {
      const r = await api.call('checklist.run', {});
      ranOnce.current = true;
      if (my === seq.current) {
        setResults(r);
        setAt(new Date().toISOString());
        setRunError(null);
      }
    } catch (e) {
      // A failed run leaves no earlier results beside its error.
      if (my === seq.current) {
        setResults(null);
        setAt(null);
        setRunError(e);
      }
    } finally {
      if (my === seq.current) setRunning(false);
    }
  }, []);

  // The last results at once, then a fresh run; again as orders move (events arriving during a
  // run fold into one more run).
  useEffect(() => {
    api
      .call('checklist.last', {})
      .then((last) => {
        // A run that finished first is newer than the kept results.
        if (!ranOnce.current && last.at && last.results.length) {
          setResults(last.results);
          setAt(last.at);
        }
      })
      .catch(() => undefined);
    void run();
    const c = coalescer(run, 1200);
    const offOrder = api.on('order.changed', () => c.poke());
    const offSync = api.on('sync.finished', () => c.poke());
    return () => {
      c.stop();
      offOrder();
      offSync();
    };
  }, [run]);

  const next = nextAction(results, sandbox === 'running' ? true : activated);
  const settledAll = next.kind === 'done';
  const settledRef = useRef(onSettled);
  settledRef.current = onSettled;
  useEffect(() => {
    if (settledAll) settledRef.current?.();
  }, [settledAll]);

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
  const settled = sum ? sum.pass + sum.waived + sum.warn : 0;
  const titleOf = (r: CheckResult) => {
    const k = pointKey(r.id);
    return k ? t(`checklist.steps.${k}`) : checkTitle(r);
  };

  const placeButton = (primary: boolean) => (
    <Button
      variant={primary ? 'filled' : 'light'}
      onClick={() => {
        place.setResult(null);
        void place.run({}).then(() => run());
      }}
      loading={place.busy}
      data-testid="checklist-place"
    >
      {t('checklist.placeTestOrders')}
    </Button>
  );
  const restartButton = (
    <Button
      loading={restart.busy}
      onClick={() => {
        void restart.run({}).then(() => useEngine.getState().refresh());
      }}
      data-testid="checklist-restart-sandbox"
    >
      {t('checklist.restartSandbox')}
    </Button>
  );
  const syncButton = (primary: boolean) => (
    <Button
      variant={primary ? 'filled' : 'light'}
      loading={sync.busy}
      onClick={() => {
        sync.setResult(null);
        void sync.run({}).then(() => run());
      }}
      data-testid="checklist-sync"
    >
      {t('header.syncNow')}
    </Button>
  );

  return (
    <Stack>
      <Text>{t('checklist.intro')}</Text>
      <Paper withBorder p="md" radius="md" data-testid="checklist-next" data-next={next.kind}>
        <Stack gap="xs">
          {next.kind === 'loading' && !runError && <Text role="status">{t('checklist.checking')}</Text>}
          {next.kind === 'loading' && !!runError && <Text>{t('checklist.couldNotRun')}</Text>}
          {next.kind === 'activate' && (
            <>
              <Title order={3} size="h5">
                {t('checklist.next.activateTitle')}
              </Title>
              <Text size="sm">{t('checklist.next.activateText')}</Text>
              <Group>
                <Button component="a" href="#/setup/activate" onClick={(e: React.MouseEvent) => (e.preventDefault(), navigate('setup', 'activate'))} data-testid="checklist-activate">
                  {t('checklist.next.toActivate')}
                </Button>
              </Group>
            </>
          )}
          {next.kind === 'place' && (
            <>
              <Title order={3} size="h5">
                {t('checklist.next.placeTitle')}
              </Title>
              {sandbox === 'running' && (
                <>
                  <Text size="sm">{t('checklist.next.placeSandbox')}</Text>
                  <Group>{placeButton(true)}</Group>
                </>
              )}
              {sandbox === 'stopped' && (
                <>
                  <Text size="sm">{t('checklist.next.sandboxStopped')}</Text>
                  <Group>{restartButton}</Group>
                </>
              )}
              {!sandbox && (
                <>
                  <Text size="sm">{t('checklist.next.placeReal')}</Text>
                  <Group>{syncButton(true)}</Group>
                </>
              )}
            </>
          )}
          {next.kind === 'fix' && (
            <>
              <Title order={3} size="h5">
                {t('checklist.next.fixTitle', { title: titleOf(next.result) })}
              </Title>
              {/* What was found is in the point itself, below; here only what to do about it. */}
              {checkFix(next.result) && (
                <Text size="sm">
                  <Text span fw={600}>
                    {t('check.fix')}:{' '}
                  </Text>
                  {dedupeRepeats(checkFix(next.result))}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {t('checklist.next.followsOrders')}
              </Text>
              <Group>
                {syncButton(false)}
                {sandbox === 'running' && placeButton(false)}
              </Group>
            </>
          )}
          {next.kind === 'done' && (
            <>
              <Title order={3} size="h5">
                {t('checklist.next.doneTitle')}
              </Title>
              <Text size="sm">{t('checklist.next.doneText')}</Text>
              {embedded && (
                <Group>
                  <Anchor href="#/dashboard" onClick={(e) => (e.preventDefault(), navigate('dashboard'))}>
                    {t('setup.toDashboard')}
                  </Anchor>
                </Group>
              )}
            </>
          )}
        </Stack>
      </Paper>
      {place.result && (
        <Text size="sm" role="status">
          {t('checklist.placed', { count: place.result.placed.length })}
        </Text>
      )}
      {sync.result && !sync.result.started && sync.result.reason && (
        <Text size="sm" role="status">
          {engineText(sync.result.reason, sync.result.reasonMsg)}
        </Text>
      )}
      <CallErrorAlert error={place.error ?? sync.error ?? restart.error ?? waiveError} />
      <CallErrorAlert error={runError} onRetry={() => void run()} />
      <Group justify="space-between">
        {sum && results ? (
          <Stack gap={4} style={{ flex: 1 }}>
            <Progress value={results.length ? (settled / results.length) * 100 : 0} aria-label={t('checklist.progress')} color={sum.fail ? 'orange' : 'green'} />
            <Text size="sm" role="status" data-testid="checklist-summary">
              {t('check.summary', sum)}
              {at ? ` · ${t('checklist.checkedAt', { at: fmtDateTime(at) })}` : ''}
            </Text>
          </Stack>
        ) : (
          <span />
        )}
        <Button variant="default" size="xs" onClick={() => void run()} loading={running} data-testid="checklist-run">
          {t('checklist.checkNow')}
        </Button>
      </Group>
      {results ? (
        <CheckResults results={results} onWaive={(id, w) => void waive(id, w)} busyId={waiveBusy} titleOf={titleOf} />
      ) : (
        !runError && (
          <Stack gap="xs" role="list" aria-busy={running}>
            {CHECKLIST_POINTS.map(([id, k]) => (
              <Paper withBorder p="sm" radius="sm" key={id} role="listitem">
                <Group justify="space-between">
                  <Text fw={600}>{t(`checklist.steps.${k}`)}</Text>
                  <Badge color="gray" variant="light">
                    {t('checklist.notCheckedYet')}
                  </Badge>
                </Group>
              </Paper>
            ))}
          </Stack>
        )
      )}
    </Stack>
  );
}

export function ChecklistPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('checklist.title')}</Title>
      <ChecklistPanel />
    </Stack>
  );
}
