import { Alert, Badge, Button, Collapse, Group, List, Radio, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusWriterChoice } from '../../../../shared/contract';
import type { Cfg } from '../../api/config';
import { useAction, useCall } from '../../api/hooks';
import { CallErrorAlert, CheckResults, CheckStatusBadge, CopyBlock } from '../../components/common';
import { fmtDateTime } from '../../format';
import { REST_FIELDS, type WriterDraft } from './statusUpdates.rules';
import { useWizard } from './state';

// Step 7, second part: how status and tracking reach Infigo, per store. Infigo publishes no
// REST route for it (docs/go-live.md §6), so nothing is assumed: the recommended way is the
// status MegaScript Presslink generates (pasted into Infigo with its configuration, run
// "Trigger via API", its address copied back here); a REST route only when Infigo support
// named one (path, method and body field names); or not chosen yet (updates wait in
// Presslink). "Test on one order" saves the step and writes one harmless note to one order
// through the chosen writer, then reads the order back (setup.checkStatusWriter).

const KINDS: StatusWriterChoice['kind'][] = ['megascript', 'rest', 'none'];

export function WriterSection({
  draft,
  setDraft,
  err,
  saveNow,
}: {
  draft: Cfg;
  setDraft: (f: (d: Cfg) => Cfg) => void;
  err: (path: string) => string | undefined;
  saveNow: () => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const stores = draft.stores ?? [];
  const [idx, setIdx] = useState(0);
  const choices = useCall('statusWriter.choices', {});
  const script = useAction('statusWriter.megascript');
  const selfTest = useAction('statusWriter.selfTest');
  const test = useAction('setup.checkStatusWriter');
  const [testNote, setTestNote] = useState<string | null>(null);
  const [showFields, setShowFields] = useState(false);
  const saved = useWizard((s) => s.saved);
  const store = stores[idx];
  const storeId = store?.id ?? '';
  const savedStore = (saved?.stores ?? []).some((s) => s.id === storeId);
  const writer: WriterDraft = store?.infigo?.statusWriter ?? { kind: 'none' };
  const base = `stores[${idx}].infigo.statusWriter`;

  // After a failed "continue", show the first store whose writer has a problem.
  const errorIdx = stores.findIndex((_, i) => !!err(`stores[${i}].infigo.statusWriter.url`) || !!err(`stores[${i}].infigo.statusWriter.pathTemplate`));
  useEffect(() => {
    if (errorIdx >= 0) setIdx(errorIdx);
  }, [errorIdx]);

  useEffect(() => {
    script.setResult(null);
    selfTest.setResult(null);
    test.setResult(null);
    setTestNote(null);
    if (writer.kind === 'megascript' && savedStore) void script.run({ storeId });
    // A store's script is asked again when the store or the kind changes, not on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [storeId, writer.kind, savedStore]);

  if (!store) return <Text c="dimmed">{t('setup.gelato.noStores')}</Text>;

  const setWriter = (w: WriterDraft) =>
    setDraft((d) => {
      const list = [...(d.stores ?? [])];
      const cur = list[idx];
      if (!cur) return d;
      list[idx] = { ...cur, infigo: { ...cur.infigo, statusWriter: w } };
      return { ...d, stores: list };
    });
  const setKind = (kind: string) => {
    if (kind === 'megascript') setWriter({ kind: 'megascript', url: writer.kind === 'megascript' ? writer.url : '' });
    else if (kind === 'rest') setWriter({ kind: 'rest', pathTemplate: writer.kind === 'rest' ? writer.pathTemplate : '', method: writer.kind === 'rest' ? writer.method : 'POST' });
    else setWriter({ kind: 'none' });
  };
  const engineChoice = (kind: StatusWriterChoice['kind']) => choices.data?.choices.find((c) => c.kind === kind);
  const lastTest = choices.data?.stores.find((s) => s.storeId === storeId)?.lastTest ?? null;

  const runTest = async () => {
    setTestNote(null);
    test.setResult(null);
    if (!(await saveNow())) {
      setTestNote(t('setup.writer.saveFirst'));
      return;
    }
    await test.run({ storeId });
    void choices.reload();
  };

  return (
    <Stack data-testid="section-writer">
      <Title order={4} size="h5" id="writer">
        {t('setup.writer.title')}
      </Title>
      <Text size="sm">{t('setup.writer.intro')}</Text>
      {stores.length > 1 && (
        <SegmentedControl
          aria-label={t('setup.infigo.whichStore')}
          value={String(idx)}
          onChange={(v) => setIdx(Number(v))}
          data={stores.map((s, i) => ({ value: String(i), label: s.name || s.id || t('setup.infigo.storeN', { n: i + 1 }) }))}
          data-testid="writer-store"
        />
      )}
      <Radio.Group label={t('setup.writer.choose', { name: store.name || store.id })} value={writer.kind} onChange={setKind}>
        <Stack gap="sm" mt={6}>
          {KINDS.map((kind) => {
            const c = engineChoice(kind);
            return (
              <Radio
                key={kind}
                value={kind}
                data-testid={`writer-${kind}`}
                label={
                  <Group gap={6}>
                    <Text size="sm" fw={600}>
                      {t(`setup.writer.kind.${kind}.title`)}
                    </Text>
                    {c?.recommended && (
                      <Badge size="sm" color="green" variant="light" autoContrast>
                        {t('setup.writer.recommended')}
                      </Badge>
                    )}
                    {c && kind !== 'none' && (
                      <Badge size="sm" color={c.documented ? 'blue' : 'yellow'} variant="light" autoContrast>
                        {c.documented ? t('setup.writer.documented') : t('setup.writer.assumed')}
                      </Badge>
                    )}
                  </Group>
                }
                description={`${t(`setup.writer.kind.${kind}.summary`)} ${t(`setup.writer.kind.${kind}.when`)}`}
              />
            );
          })}
        </Stack>
      </Radio.Group>

      {writer.kind === 'megascript' && (
        <Stack gap="xs" data-testid="writer-megascript">
          <List type="ordered" size="sm" spacing={4}>
            <List.Item>{t('setup.writer.mega.step1')}</List.Item>
            <List.Item>{t('setup.writer.mega.step2')}</List.Item>
            <List.Item>{t('setup.writer.mega.step3')}</List.Item>
            <List.Item>{t('setup.writer.mega.step4')}</List.Item>
          </List>
          {!savedStore && (
            <Text size="sm" c="dimmed" role="status">
              {t('setup.writer.mega.afterSave')}
            </Text>
          )}
          <CallErrorAlert error={script.error} onRetry={() => void script.run({ storeId })} />
          {script.result && (
            <>
              <CopyBlock label={t('setup.writer.mega.source')} value={script.result.source} maxHeight={200} />
              <CopyBlock label={t('setup.writer.mega.config', { name: store.name || store.id })} value={script.result.config} />
            </>
          )}
          <TextInput
            label={t('setup.writer.mega.url')}
            description={t('setup.writer.mega.urlHint')}
            placeholder="https://yourcompany.infigo.net/…"
            value={writer.url ?? ''}
            required
            error={err(`${base}.url`)}
            onChange={(e) => setWriter({ ...writer, url: e.currentTarget.value.trim() })}
            data-testid="writer-url"
          />
          {savedStore && (
            <Group>
              <Button
                variant="default"
                size="xs"
                loading={selfTest.busy}
                onClick={() => {
                  selfTest.setResult(null);
                  void selfTest.run({ storeId });
                }}
                data-testid="writer-selftest"
              >
                {t('setup.writer.mega.selfTest')}
              </Button>
            </Group>
          )}
          <CallErrorAlert error={selfTest.error} />
          {selfTest.result && <CheckResults results={[selfTest.result]} />}
        </Stack>
      )}

      {writer.kind === 'rest' && (
        <Stack gap="xs" data-testid="writer-rest">
          <Alert color="yellow" role="status">
            {t('setup.writer.rest.warning')}
          </Alert>
          <Group align="start" grow>
            <TextInput
              label={t('setup.writer.rest.path')}
              description={t('setup.writer.rest.pathHint')}
              placeholder="order/{orderId}/status"
              required
              value={writer.pathTemplate ?? ''}
              error={err(`${base}.pathTemplate`)}
              onChange={(e) => setWriter({ ...writer, pathTemplate: e.currentTarget.value.trim() })}
              data-testid="writer-path"
            />
            <Select
              label={t('setup.writer.rest.method')}
              data={['POST', 'PUT', 'PATCH']}
              value={writer.method ?? 'POST'}
              allowDeselect={false}
              onChange={(v) => setWriter({ ...writer, method: v === 'PUT' || v === 'PATCH' ? v : 'POST' })}
              maw={160}
              data-testid="writer-method"
            />
          </Group>
          <Group>
            <Button variant="subtle" size="xs" onClick={() => setShowFields((v) => !v)} aria-expanded={showFields} aria-controls="writer-fields">
              {showFields ? t('setup.writer.rest.hideFields') : t('setup.writer.rest.showFields')}
            </Button>
          </Group>
          <Collapse expanded={showFields} id="writer-fields">
            <Text size="sm" mb="xs">
              {t('setup.writer.rest.fieldsHint')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              {REST_FIELDS.map(([key, dflt]) => (
                <TextInput
                  key={key}
                  size="xs"
                  label={t(`setup.writer.rest.field.${key}`)}
                  placeholder={dflt}
                  value={writer.fieldNames?.[key] ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value.trim();
                    const names = { ...(writer.fieldNames ?? {}) };
                    if (v) names[key] = v;
                    else delete names[key];
                    setWriter({ ...writer, fieldNames: Object.keys(names).length ? names : undefined });
                  }}
                  data-testid={`writer-field-${key}`}
                />
              ))}
            </SimpleGrid>
          </Collapse>
        </Stack>
      )}

      {writer.kind === 'none' && (
        <Text size="sm" c="dimmed">
          {t('setup.writer.noneText')}
        </Text>
      )}

      {writer.kind !== 'none' && (
        <Stack gap="xs">
          <Group>
            <Button variant="light" loading={test.busy} onClick={() => void runTest()} data-testid="writer-test">
              {t('setup.writer.test')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('setup.writer.testHint')}
          </Text>
          {lastTest && !test.result && (
            <Group gap="xs" data-testid="writer-last-test">
              <Text size="sm">{t('setup.writer.lastTest', { at: fmtDateTime(lastTest.at), order: lastTest.infigoOrderId ?? '—' })}</Text>
              <CheckStatusBadge status={lastTest.status} />
            </Group>
          )}
          {testNote && (
            <Text size="sm" c="var(--mantine-color-red-light-color)" role="alert">
              {testNote}
            </Text>
          )}
          <CallErrorAlert error={test.error} />
          {test.result && (
            <div data-testid="writer-test-results">
              <CheckResults results={test.result} />
            </div>
          )}
        </Stack>
      )}
    </Stack>
  );
}
