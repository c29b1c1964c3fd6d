import { Button, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fingerprint } from '../../setup/connection';
import { slugify } from '../../setup/endpoints';
import { ConnectionCheck } from './ConnectionCheck';
import { SecretInput, useFieldError } from './fields';
import { emptyStore, infigoRules } from './infigo.rules';
import { runCheck, useWizard } from './state';
import type { StepProps, Store } from './types';

// Step 2: one or more Infigo stores. Validation and what counts as this step's part of the
// config are in infigo.rules.ts.

export function InfigoStep({ draft, setDraft, errors }: StepProps) {
  const { t } = useTranslation();
  const err = useFieldError(errors);
  const stores = draft.stores ?? [];
  const [idx, setIdx] = useState(0);
  const store = stores[idx];
  const specs = infigoRules.connections!(draft);
  const spec = specs[idx];
  const runState = useWizard((s) => (spec ? s.runs[fingerprint(spec)]?.state : undefined));

  const setStore = (patch: Omit<Partial<Store>, 'infigo'> & { infigo?: Partial<Store['infigo']> }) =>
    setDraft((d) => {
      const list = [...(d.stores ?? [])];
      const cur = list[idx];
      if (!cur) return d;
      list[idx] = { ...cur, ...patch, infigo: { ...cur.infigo, ...(patch.infigo ?? {}) } };
      return { ...d, stores: list };
    });
  const addStore = () => {
    setDraft((d) => ({ ...d, stores: [...(d.stores ?? []), emptyStore()] }));
    setIdx(stores.length);
  };

  // A store not saved yet can be taken out again; a saved one is switched off in Settings.
  const savedCount = useWizard((s) => s.saved?.stores?.length ?? 0);
  const isNew = idx >= savedCount;
  const removeStore = () => {
    setDraft((d) => ({ ...d, stores: (d.stores ?? []).filter((_, i) => i !== idx) }));
    setIdx(Math.max(0, idx - 1));
  };

  useEffect(() => {
    if (stores.length === 0) addStore();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // After a failed "continue", show the first store that has a problem.
  const firstWithError = stores.findIndex((_, i) => Object.keys(errors).some((p) => p.startsWith(`stores[${i}]`)));
  const errorSignature = Object.keys(errors).join('|');
  useEffect(() => {
    if (firstWithError >= 0 && !Object.keys(errors).some((p) => p.startsWith(`stores[${idx}]`))) setIdx(firstWithError);
    // Only when the set of errors changes, not on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [errorSignature]);

  if (!store || !spec) return <Text c="dimmed">{t('common.loading')}</Text>;
  const p = `stores[${idx}]`;
  return (
    <Stack>
      <Text>{t('setup.infigo.intro')}</Text>
      {stores.length > 1 && (
        <SegmentedControl
          aria-label={t('setup.infigo.whichStore')}
          value={String(idx)}
          onChange={(v) => setIdx(Number(v))}
          data={stores.map((s, i) => {
            const name = s.name || t('setup.infigo.storeN', { n: i + 1 });
            const bad = Object.keys(errors).some((k) => k.startsWith(`stores[${i}]`));
            return { value: String(i), label: bad ? t('setup.infigo.storeNeedsAttention', { name }) : name };
          })}
        />
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TextInput
          label={t('setup.infigo.name')}
          value={store.name ?? ''}
          required
          error={err(`${p}.name`)}
          onChange={(e) => {
            const name = e.currentTarget.value;
            // The id follows the name until the person edits it, so the common case is one field.
            setStore({ name, ...(store.id === '' || store.id === slugify(store.name ?? '') ? { id: slugify(name) } : {}) });
          }}
          data-testid="infigo-name"
        />
        <TextInput
          label={t('setup.infigo.id')}
          description={t('setup.infigo.idHint')}
          value={store.id ?? ''}
          required
          error={err(`${p}.id`)}
          onChange={(e) => setStore({ id: e.currentTarget.value })}
          data-testid="infigo-id"
        />
        <TextInput
          label={t('setup.infigo.baseUrl')}
          placeholder="https://yourcompany.infigo.net"
          value={store.infigo?.baseUrl ?? ''}
          required
          error={err(`${p}.infigo.baseUrl`)}
          onChange={(e) => setStore({ infigo: { baseUrl: e.currentTarget.value.trim() } })}
          data-testid="infigo-baseurl"
        />
        <SecretInput
          label={t('setup.infigo.token')}
          description={t('setup.infigo.tokenHint')}
          value={store.infigo?.apiToken ?? ''}
          error={err(`${p}.infigo.apiToken`)}
          onChange={(v) => setStore({ infigo: { apiToken: v } })}
          testId="infigo-token"
        />
      </SimpleGrid>
      <Group>
        <Button
          variant="light"
          loading={runState === 'running'}
          disabled={!store.infigo?.baseUrl || !store.infigo?.apiToken}
          onClick={() => void runCheck('infigo', spec)}
          data-testid="infigo-check"
        >
          {t('setup.checkConnection')}
        </Button>
        <Button variant="subtle" onClick={addStore} data-testid="infigo-add-store">
          {t('setup.infigo.addStore')}
        </Button>
        {isNew && stores.length > 1 && (
          <Button variant="subtle" color="red" onClick={removeStore} data-testid="infigo-remove-store">
            {t('setup.infigo.removeStore')}
          </Button>
        )}
      </Group>
      <ConnectionCheck step="infigo" spec={spec} />
    </Stack>
  );
}
