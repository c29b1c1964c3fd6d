import { Alert, AppShell, Badge, Burger, Button, Group, Loader, NavLink, ScrollArea, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CallErrorAlert, HealthBadge } from './components/common';
import { HealthBanner } from './components/health';
import { fmtRelative } from './format';
import { ChecklistPage } from './pages/Checklist';
import { DashboardPage } from './pages/Dashboard';
import { MappingsPage } from './pages/Mappings';
import { OrdersPage } from './pages/Orders';
import { SettingsPage } from './pages/Settings';
import { SetupPage } from './pages/setup/SetupPage';
import { SignIn } from './pages/SignIn';
import { TroubleshootingPage } from './pages/Troubleshooting';
import { landingPage, navigate, PAGES, replaceRoute, useRoute, type Page } from './router';
import { hasLanguageChoice } from './i18n';
import { callErrorText, engineText } from './i18n/engine-text';
import { api, startEngineFeed, useEngine } from './store/engine';
import './app.css';

function useNow(ms = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

function HeaderStatus() {
  const { t } = useTranslation();
  const status = useEngine((s) => s.status);
  const refresh = useEngine((s) => s.refresh);
  const now = useNow();
  const [busy, setBusy] = useState<null | 'sync' | 'pause'>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);

  const run = async (kind: 'sync' | 'pause', fn: () => Promise<unknown>) => {
    setBusy(kind);
    setError(null);
    setNote(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
      void refresh();
    }
  };

  const syncNow = () =>
    run('sync', async () => {
      const r = await api.call('sync.now', {});
      if (!r.started) setNote(r.reason ? engineText(r.reason, r.reasonMsg) : t('header.syncNotStarted'));
    });
  const togglePause = () =>
    run('pause', async () => {
      const s = await api.call(status?.paused ? 'sync.resume' : 'sync.pause', {});
      useEngine.getState().setStatus(s);
    });

  return (
    <Group gap="sm" wrap="nowrap" style={{ overflow: 'hidden' }}>
      <HealthBadge health={status?.health ?? null} />
      <Text size="xs" c="dimmed" visibleFrom="md" data-testid="last-sync">
        {t('header.lastSync')}: {status?.lastSync ? fmtRelative(status.lastSync.finishedAt ?? status.lastSync.startedAt, Math.max(now, Date.now())) : t('header.never')}
      </Text>
      <Text size="xs" c="dimmed" visibleFrom="md" data-testid="next-sync">
        {t('header.nextSync')}: {status?.paused ? t('header.paused') : status?.nextSyncAt ? fmtRelative(status.nextSyncAt, now) : '—'}
      </Text>
      <Tooltip label={t('header.attentionTooltip')}>
        <Badge
          component="a"
          href="#/attention"
          color={status && status.attentionCount > 0 ? 'orange' : 'gray'}
          variant="light"
          autoContrast
          data-testid="attention-count"
          style={{ cursor: 'pointer' }}
        >
          {t('header.attention', { count: status?.attentionCount ?? 0 })}
        </Badge>
      </Tooltip>
      <Button size="xs" onClick={syncNow} loading={busy === 'sync' || !!status?.syncing} disabled={!status || status.paused}>
        {t('header.syncNow')}
      </Button>
      <Button size="xs" variant="default" onClick={togglePause} loading={busy === 'pause'} disabled={!status}>
        {status?.paused ? t('header.resume') : t('header.pause')}
      </Button>
      {note && (
        <Text size="xs" role="status">
          {note}
        </Text>
      )}
      {error ? (
        <Text size="xs" c="var(--mantine-color-red-light-color)" role="alert">
          {callErrorText(error)}
        </Text>
      ) : null}
    </Group>
  );
}

function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useEngine((s) => s.connection);
  if (connection !== 'reconnecting') return null;
  return (
    <Alert color="orange" variant="light" role="status" data-testid="connection-lost" py={6} radius={0} fw={600}>
      {t('app.connectionLost')}
    </Alert>
  );
}

const NAV: Record<Page, string> = {
  dashboard: 'nav.dashboard',
  orders: 'nav.orders',
  attention: 'nav.attention',
  mappings: 'nav.mappings',
  checklist: 'nav.checklist',
  setup: 'nav.setup',
  troubleshooting: 'nav.troubleshooting',
  settings: 'nav.settings',
};

function PageBody({ page }: { page: Page }): ReactNode {
  switch (page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'orders':
      return <OrdersPage key="orders" />;
    case 'attention':
      return <OrdersPage key="attention" attentionOnly />;
    case 'mappings':
      return <MappingsPage />;
    case 'checklist':
      return <ChecklistPage />;
    case 'setup':
      return <SetupPage />;
    case 'troubleshooting':
      return <TroubleshootingPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

export function App() {
  const { t, i18n } = useTranslation();
  const authRequired = useEngine((s) => s.authRequired);
  const statusError = useEngine((s) => s.statusError);
  const status = useEngine((s) => s.status);
  const attention = status?.attentionCount ?? 0;
  const { page, landing } = useRoute();
  const [opened, { toggle, close }] = useDisclosure();
  const configured = status ? status.configured : null;
  const activated = status ? !!status.activatedAt : null;

  // Opened without a page in the address: an install not set up or not live yet opens the wizard.
  useEffect(() => {
    if (landing && configured !== null && activated !== null) replaceRoute(landingPage(configured, activated));
  }, [landing, configured, activated]);
  const choosingLanding = landing && !statusError;

  useEffect(() => {
    startEngineFeed();
    // Without a choice made in this browser, follow the language kept in the engine's config.
    if (!hasLanguageChoice()) {
      api
        .call('config.get', {})
        .then((r) => {
          const lng = (r.config as { ui?: { language?: string } } | null)?.ui?.language;
          if ((lng === 'en' || lng === 'it') && lng !== i18n.language) void i18n.changeLanguage(lng);
        })
        .catch(() => undefined);
    }
  }, [i18n]);

  useEffect(() => {
    document.title = `${t(NAV[page])} · Presslink`;
    close();
  }, [page, t, close]);

  if (authRequired) return <SignIn />;

  return (
    <>
      <a
        href="#main-content"
        className="skip-link"
        onClick={(e) => {
          // The hash drives routing, so move focus instead of following the link.
          e.preventDefault();
          document.getElementById('main-content')?.focus();
        }}
      >
        {t('app.skipToContent')}
      </a>
      <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('app.toggleNav')} />
              <Title order={1} size="h4">
                Presslink
              </Title>
            </Group>
            <HeaderStatus />
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('app.mainNav')}>
          <ScrollArea>
              {PAGES.map((p) => (
                <NavLink
                  key={p}
                  href={`#/${p}`}
                  label={t(NAV[p])}
                  active={p === page}
                  variant="filled"
                  aria-current={p === page ? 'page' : undefined}
                  data-testid={`nav-${p}`}
                  rightSection={
                    p === 'attention' && attention > 0 ? (
                      <Badge size="sm" color="yellow" autoContrast>
                        {attention}
                        <VisuallyHidden> {t('nav.attentionCountSuffix')}</VisuallyHidden>
                      </Badge>
                    ) : undefined
                  }
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(p);
                  }}
                />
              ))}
          </ScrollArea>
        </AppShell.Navbar>
        <AppShell.Main id="main-content" tabIndex={-1}>
          <ConnectionBanner />
          <HealthBanner page={page} />
          {statusError && !status && <CallErrorAlert error={new Error(statusError)} onRetry={() => void useEngine.getState().refresh()} />}
          {choosingLanding ? (
            <Loader aria-label={t('common.loading')} />
          ) : (
            <div data-testid={`page-${page}`}>
              <PageBody page={page} />
            </div>
          )}
        </AppShell.Main>
      </AppShell>
    </>
  );
}
