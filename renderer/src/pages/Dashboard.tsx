import { BarChart, LineChart } from '@mantine/charts';
import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ORDER_STATES } from '../../../shared/domain/order-state';
import { useCall } from '../api/hooks';
import { CallErrorAlert, HealthBadge, StateBadge } from '../components/common';
import { fmtDateTime, fmtDay, fmtDuration, fmtNumber, fmtRelative } from '../format';
import { api, useEngine } from '../store/engine';
import { quoteFallbackText } from '../i18n/engine-text';

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <div style={{ marginTop: 6 }}>{children}</div>
    </Card>
  );
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const status = useEngine((s) => s.status);
  const counts = useCall('orders.counts', {});
  const daily = useCall('stats.daily', { days: 30 });
  const reloadCounts = counts.reload;

  // The status event stream carries changes of state; what accumulates quietly (checkout quotes
  // that fell back to the rate table) is asked for when the dashboard opens.
  useEffect(() => {
    void useEngine.getState().refresh();
  }, []);

  // Counts move with every order change; a light refetch beats re-deriving them here.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.on('order.changed', () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void reloadCounts();
      }, 1500);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [reloadCounts]);

  const c = counts.data ?? status?.counts ?? {};
  const chartData = (daily.data ?? []).map((d) => ({
    day: fmtDay(d.day),
    [t('dashboard.orders')]: d.orders,
    [t('dashboard.failures')]: d.failures,
    [t('dashboard.avgSync')]: d.avgSyncMs === null ? null : Math.round(d.avgSyncMs) / 1000,
  }));

  return (
    <Stack key={i18n.language}>
      <Title order={2}>{t('dashboard.title')}</Title>
      {status && !status.configured && (
        <Card withBorder bg="yellow.0">
          <Text>
            {t('dashboard.unconfigured')} <Anchor href="#/setup">{t('dashboard.openSetup')}</Anchor>
          </Text>
        </Card>
      )}
      {status?.quoteFallback && (
        <Alert color="orange" variant="light" title={t('dashboard.quoteFallback.title')} data-testid="dash-quote-fallback" role="status">
          <Stack gap={6}>
            <Text size="sm">
              {t('dashboard.quoteFallback.text', {
                count: status.quoteFallback.count,
                first: fmtDateTime(status.quoteFallback.firstAt),
                last: fmtDateTime(status.quoteFallback.lastAt),
              })}
            </Text>
            <Text size="sm">
              <Text span fw={600}>
                {t('dashboard.quoteFallback.reason')}:{' '}
              </Text>
              {quoteFallbackText(status.quoteFallback)}
            </Text>
            <Group>
              <Button component="a" href="#/setup/shipping" size="xs" variant="default" data-testid="dash-quote-fallback-fix">
                {t('dashboard.quoteFallback.fix')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }}>
        <Stat label={t('dashboard.live')} testId="dash-live">
          {status?.activatedAt ? (
            <>
              <Text fw={600}>{t('dashboard.liveSince', { at: fmtDateTime(status.activatedAt) })}</Text>
              <Anchor href="#/orders/before_go_live" size="xs">
                {t('dashboard.beforeGoLive', { count: c.before_go_live ?? 0, formatted: fmtNumber(c.before_go_live ?? 0) })}
              </Anchor>
            </>
          ) : (
            <>
              <Text fw={600}>{t('dashboard.notLive')}</Text>
              {status?.configured && (
                <Anchor href="#/setup/activate" size="xs">
                  {t('dashboard.goActivate')}
                </Anchor>
              )}
            </>
          )}
        </Stat>
        <Stat label={t('dashboard.health')} testId="dash-health">
          <HealthBadge health={status?.health ?? null} />
        </Stat>
        <Stat label={t('dashboard.lastSync')}>
          <Text fw={600}>{status?.lastSync ? fmtRelative(status.lastSync.finishedAt ?? status.lastSync.startedAt) : t('header.never')}</Text>
          {status?.lastSync && (
            <Text size="xs" c="dimmed">
              {t('dashboard.lastSyncDetail', {
                submitted: status.lastSync.submitted,
                attention: status.lastSync.needsAttention,
                duration: fmtDuration(status.lastSync.durationMs),
              })}
            </Text>
          )}
        </Stat>
        <Stat label={t('dashboard.nextSync')}>
          <Text fw={600}>{status?.paused ? t('header.paused') : status?.nextSyncAt ? fmtDateTime(status.nextSyncAt) : '—'}</Text>
        </Stat>
        <Stat label={t('dashboard.attention')} testId="dash-attention">
          <Anchor href="#/attention" fw={700} size="xl">
            {fmtNumber(status?.attentionCount ?? 0)}
          </Anchor>
        </Stat>
      </SimpleGrid>

      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          {t('dashboard.byState')}
        </Title>
        <CallErrorAlert error={counts.error} />
        <Group gap="lg">
          {ORDER_STATES.map((s) => (
            <Group key={s} gap={6} data-testid={`count-${s}`}>
              <StateBadge state={s} />
              <Text fw={600}>{fmtNumber(c[s] ?? 0)}</Text>
            </Group>
          ))}
        </Group>
      </Card>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            {t('dashboard.perDay')}
          </Title>
          <CallErrorAlert error={daily.error} />
          {daily.data && daily.data.length === 0 && <Text c="dimmed">{t('dashboard.noData')}</Text>}
          {daily.data && daily.data.length > 0 && (
            <div role="img" aria-label={t('dashboard.perDay')}>
            <BarChart
              h={240}
              data={chartData}
              dataKey="day"
              withLegend
              series={[
                { name: t('dashboard.orders'), color: 'indigo.6' },
                { name: t('dashboard.failures'), color: 'red.6' },
              ]}
            />
            </div>
          )}
        </Card>
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            {t('dashboard.syncDurations')}
          </Title>
          {daily.data && daily.data.length > 0 ? (
            <div role="img" aria-label={t('dashboard.syncDurations')}>
            <LineChart
              h={240}
              data={chartData}
              dataKey="day"
              unit=" s"
              connectNulls
              series={[{ name: t('dashboard.avgSync'), color: 'teal.6' }]}
            />
            </div>
          ) : (
            !daily.error && <Text c="dimmed">{t('dashboard.noData')}</Text>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
