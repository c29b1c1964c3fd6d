import { Alert, Badge, Button, Card, Checkbox, FileButton, Group, Modal, NumberInput, PasswordInput, SegmentedControl, Stack, Switch, Table, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigBackup, Problem } from '../../../shared/contract';
import { useConfig, type Cfg } from '../api/config';
import { downloadText, useAction, useCall } from '../api/hooks';
import { fmtDateTime, fmtNumber } from '../format';
import { CallErrorAlert, ProblemList } from '../components/common';
import { setLanguage, type Language } from '../i18n';
import { api, useEngine } from '../store/engine';

function SaveFeedback({ problems, error, saved }: { problems: Problem[]; error: unknown; saved: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {saved && (
        <Text size="sm" c="var(--mantine-color-green-light-color)" role="status">
          {t('common.saved')}
        </Text>
      )}
      {problems.length > 0 && (
        <Alert color="red" title={t('common.problems')}>
          <ProblemList problems={problems} />
        </Alert>
      )}
      <CallErrorAlert error={error} />
    </>
  );
}

function useSaver(save: (c: Cfg) => Promise<{ ok: boolean; problems: Problem[]; error?: unknown }>) {
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (c: Cfg) => {
    setBusy(true);
    setSaved(false);
    const r = await save(c);
    setBusy(false);
    setProblems(r.problems);
    setError(r.problems.length ? null : (r.error ?? null));
    setSaved(r.ok);
    return r.ok;
  };
  return { run, problems, error, saved, busy };
}

export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const cfg = useConfig();
  const status = useEngine((s) => s.status);
  const saver = useSaver(cfg.save);
  const [interval, setInterval] = useState<number>(15);
  const [notifications, setNotifications] = useState(true);

  useEffect(() => {
    if (!cfg.config) return;
    setInterval(cfg.config.sync?.intervalMinutes ?? 15);
    setNotifications(cfg.config.notifications?.enabled ?? true);
  }, [cfg.config]);

  const changeLanguage = (lng: Language) => {
    setLanguage(lng);
    // The engine keeps the choice too (tray, notifications) when a config exists.
    if (cfg.config && cfg.configured) void cfg.save({ ...cfg.config, ui: { language: lng } });
  };

  const exp = useAction('config.export');
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const imp = useAction('config.import');
  const [importJson, setImportJson] = useState('');
  const [importPass, setImportPass] = useState('');
  const diag = useAction('diagnostics.bundle');

  const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

  return (
    <Stack>
      <Title order={2}>{t('settings.title')}</Title>
      <CallErrorAlert error={cfg.error} onRetry={() => void cfg.reload()} />

      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          {t('settings.language')}
        </Title>
        <SegmentedControl
          aria-label={t('settings.language')}
          value={i18n.language === 'it' ? 'it' : 'en'}
          onChange={(v) => changeLanguage(v === 'it' ? 'it' : 'en')}
          data={[
            { value: 'en', label: 'English' },
            { value: 'it', label: 'Italiano' },
          ]}
          data-testid="language-switch"
        />
      </Card>

      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          {t('settings.stores')}
        </Title>
        {(cfg.config?.stores ?? []).length === 0 ? (
          <Text c="dimmed">
            {t('settings.noStores')} <a href="#/setup">{t('dashboard.openSetup')}</a>
          </Text>
        ) : (
          <Table aria-label={t('settings.stores')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.storeId')}</Table.Th>
                <Table.Th>{t('settings.storeName')}</Table.Th>
                <Table.Th>{t('settings.storeUrl')}</Table.Th>
                <Table.Th>{t('settings.storeCustomer')}</Table.Th>
                <Table.Th>{t('settings.storeEnabled')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(cfg.config?.stores ?? []).map((s, i) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.id}</Table.Td>
                  <Table.Td>{s.name}</Table.Td>
                  <Table.Td>{s.infigo.baseUrl}</Table.Td>
                  <Table.Td>{s.gelatoCustomerReferenceId}</Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={t('settings.storeEnabledFor', { name: s.name })}
                      checked={s.enabled ?? true}
                      onChange={(e) => {
                        if (!cfg.config) return;
                        const stores = [...(cfg.config.stores ?? [])];
                        stores[i] = { ...s, enabled: e.currentTarget.checked };
                        void saver.run({ ...cfg.config, stores });
                      }}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          {t('settings.schedule')}
        </Title>
        <Group align="end">
          <NumberInput label={t('settings.interval')} min={1} max={1440} value={interval} onChange={(v) => setInterval(typeof v === 'number' ? v : Number(v) || 15)} w={200} />
          <Switch label={t('settings.notifications')} checked={notifications} onChange={(e) => setNotifications(e.currentTarget.checked)} />
          <Button
            loading={saver.busy}
            disabled={!cfg.config}
            onClick={() =>
              cfg.config &&
              void saver.run({ ...cfg.config, sync: { ...(cfg.config.sync ?? {}), intervalMinutes: interval }, notifications: { enabled: notifications } })
            }
          >
            {t('common.save')}
          </Button>
        </Group>
        {status?.nextSyncAt && (
          <Text size="sm" c="dimmed" mt="xs">
            {t('settings.statusMode', { mode: t(`setup.status.${status.statusMode}`) })}
          </Text>
        )}
        <SaveFeedback problems={saver.problems} error={saver.error} saved={saver.saved} />
      </Card>

      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          {t('settings.export')}
        </Title>
        <Text size="sm" mb="xs">
          {t('settings.exportIntro')}
        </Text>
        <Group align="end">
          <Checkbox label={t('settings.includeSecrets')} checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.currentTarget.checked)} />
          {includeSecrets && (
            <PasswordInput label={t('settings.passphrase')} description={t('settings.passphraseHint')} value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} w={260} />
          )}
          <Button
            loading={exp.busy}
            disabled={includeSecrets && passphrase.length < 8}
            onClick={async () => {
              const r = await exp.run(includeSecrets ? { includeSecrets: true, passphrase } : { includeSecrets: false });
              if (r) downloadText(`presslink-config-${stamp()}.json`, r.json);
            }}
          >
            {t('settings.exportButton')}
          </Button>
        </Group>
        <CallErrorAlert error={exp.error} />
      </Card>

      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          {t('settings.import')}
        </Title>
        <Stack gap="xs">
          <Textarea
            label={t('settings.importPaste')}
            autosize
            minRows={4}
            maxRows={12}
            value={importJson}
            onChange={(e) => setImportJson(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
          />
          <Group align="end">
            <FileButton accept="application/json,.json" onChange={(f) => void f?.text().then(setImportJson)}>
              {(props) => (
                <Button variant="default" {...props}>
                  {t('settings.importUpload')}
                </Button>
              )}
            </FileButton>
            <PasswordInput label={t('settings.importPassphrase')} value={importPass} onChange={(e) => setImportPass(e.currentTarget.value)} w={260} />
            <Button
              loading={imp.busy}
              disabled={importJson.trim().length < 2}
              onClick={async () => {
                const r = await imp.run({ json: importJson, ...(importPass ? { passphrase: importPass } : {}) });
                if (r?.ok) void cfg.reload();
              }}
            >
              {t('settings.importButton')}
            </Button>
          </Group>
          {imp.result?.ok && (
            <Text size="sm" c="var(--mantine-color-green-light-color)" role="status">
              {t('settings.imported')}
            </Text>
          )}
          {imp.result && !imp.result.ok && (
            <Alert color="red" title={t('common.problems')}>
              <ProblemList problems={imp.result.problems} />
            </Alert>
          )}
          <CallErrorAlert error={imp.error} />
        </Stack>
      </Card>

      <BackupsCard
        onRestored={() => {
          void cfg.reload();
          void useEngine.getState().refresh();
        }}
      />

      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          {t('settings.diagnostics')}
        </Title>
        <Text size="sm" mb="xs">
          {t('settings.diagnosticsIntro')}
        </Text>
        <Group>
          <Button
            variant="default"
            loading={diag.busy}
            onClick={async () => {
              const r = await diag.run({});
              if (r) downloadText(`presslink-diagnostics-${stamp()}.json`, r.json);
            }}
          >
            {t('settings.diagnosticsButton')}
          </Button>
          {status && (
            <Badge variant="outline" color="gray">
              {t('settings.version', { version: status.version, mode: status.mode })}
            </Badge>
          )}
        </Group>
        <CallErrorAlert error={diag.error} />
      </Card>
    </Stack>
  );
}

/**
 * The configurations replaced by the last saves, imports and restores (config.backups), each
 * restorable after a confirmation (config.restore backs up the current one first, so a restore
 * can itself be undone).
 */
function BackupsCard({ onRestored }: { onRestored: () => void }) {
  const { t } = useTranslation();
  const list = useCall('config.backups', {});
  const [asking, setAsking] = useState<ConfigBackup | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [restored, setRestored] = useState<string | null>(null);
  const backups = list.data?.backups ?? [];

  const restore = async (b: ConfigBackup) => {
    setAsking(null);
    setBusy(true);
    setError(null);
    setProblems([]);
    setRestored(null);
    try {
      const r = await api.call('config.restore', { id: b.id });
      if (r.ok) {
        setRestored(b.createdAt);
        onRestored();
      } else setProblems(r.problems);
      await list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder data-testid="settings-backups">
      <Title order={3} size="h5" mb="xs">
        {t('settings.backups.title')}
      </Title>
      <Text size="sm" mb="xs">
        {t('settings.backups.intro')}
      </Text>
      <CallErrorAlert error={list.error} onRetry={() => void list.reload()} />
      {list.data && backups.length === 0 && <Text c="dimmed">{t('settings.backups.none')}</Text>}
      {backups.length > 0 && (
        <Table aria-label={t('settings.backups.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('settings.backups.when')}</Table.Th>
              <Table.Th>{t('settings.backups.replacedBy')}</Table.Th>
              <Table.Th>{t('settings.stores')}</Table.Th>
              <Table.Th>{t('settings.backups.size')}</Table.Th>
              <Table.Th>{t('mappings.col.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {backups.map((b) => (
              <Table.Tr key={b.id} data-testid={`backup-${b.id}`}>
                <Table.Td>{fmtDateTime(b.createdAt)}</Table.Td>
                <Table.Td>{t(`settings.backups.reason.${b.reason}`)}</Table.Td>
                <Table.Td>{b.stores.join(', ') || '—'}</Table.Td>
                <Table.Td>{t('settings.backups.kb', { size: fmtNumber(Math.max(1, Math.round(b.bytes / 1024))) })}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="default" loading={busy && asking === null} onClick={() => setAsking(b)} aria-label={t('settings.backups.restoreFrom', { at: fmtDateTime(b.createdAt) })}>
                    {t('settings.backups.restore')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {restored && (
        <Text size="sm" c="var(--mantine-color-green-light-color)" role="status" mt="xs" data-testid="backup-restored">
          {t('settings.backups.restored', { at: fmtDateTime(restored) })}
        </Text>
      )}
      {problems.length > 0 && (
        <Alert color="red" title={t('common.problems')} mt="xs">
          <ProblemList problems={problems} />
        </Alert>
      )}
      <CallErrorAlert error={error} />
      <Modal opened={!!asking} onClose={() => setAsking(null)} title={t('settings.backups.confirmTitle')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        {asking && (
          <Stack data-testid="backup-confirm">
            <Text size="sm">{t('settings.backups.confirmText', { at: fmtDateTime(asking.createdAt) })}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAsking(null)}>
                {t('common.cancel')}
              </Button>
              <Button color="red.9" onClick={() => void restore(asking)} data-testid="backup-confirm-restore" data-autofocus>
                {t('settings.backups.restore')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}
