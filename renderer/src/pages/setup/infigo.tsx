import { Button, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../api/hooks';
import { CallErrorAlert, CheckResults } from '../../components/common';
import { slugify } from '../../setup/endpoints';
import { SecretInput } from './fields';
import type { StepProps, Store } from './types';

export function InfigoStep({ draft, setDraft }: StepProps) {
  const { t } = useTranslation();
  const stores = draft.stores ?? [];
  const [idx, setIdx] = useState(0);
  const check = useAction('setup.checkInfigo');
  const store = stores[idx];
  const setStore = (patch: Omit<Partial<Store>, 'infigo'> & { infigo?: Partial<Store['infigo']> }) =>
    setDraft((d) => {
      const list = [...(d.stores ?? [])];
      const cur = list[idx];
      if (!cur) return d;
      list[idx] = { ...cur, ...patch, infigo: { ...cur.infigo, ...(patch.infigo ?? {}) } };
      return { ...d, stores: list };
    });
  const addStore = () => {
    setDraft((d) => ({
      ...d,
      stores: [...(d.stores ?? []), { id: '', name: '', infigo: { baseUrl: '', apiToken: '' }, gelatoCustomerReferenceId: '' }],
    }));
    setIdx(stores.length);
    check.setResult(null);
  };

  useEffect(() => {
    if (stores.length === 0) addStore();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (!store) return <Loader aria-label={t('common.loading')} />;
  return (
    <Stack>
      <Text>{t('setup.infigo.intro')}</Text>
      {stores.length > 1 && (
        <SegmentedControl
          aria-label={t('setup.infigo.whichStore')}
          value={String(idx)}
          onChange={(v) => {
            setIdx(Number(v));
            check.setResult(null);
          }}
          data={stores.map((s, i) => ({ value: String(i), label: s.name || t('setup.infigo.storeN', { n: i + 1 }) }))}
        />
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TextInput
          label={t('setup.infigo.name')}
          value={store.name}
          required
          onChange={(e) => {
            const name = e.currentTarget.value;
            // The id follows the name until the person edits it, so the common case is one field.
            setStore({ name, ...(store.id === '' || store.id === slugify(store.name) ? { id: slugify(name) } : {}) });
          }}
        />
        <TextInput label={t('setup.infigo.id')} description={t('setup.infigo.idHint')} value={store.id} required onChange={(e) => setStore({ id: e.currentTarget.value })} />
        <TextInput
          label={t('setup.infigo.baseUrl')}
          placeholder="https://yourcompany.infigo.net"
          value={store.infigo.baseUrl}
          required
          onChange={(e) => setStore({ infigo: { baseUrl: e.currentTarget.value.trim() } })}
          data-testid="infigo-baseurl"
        />
        <SecretInput
          label={t('setup.infigo.token')}
          description={t('setup.infigo.tokenHint')}
          value={store.infigo.apiToken}
          onChange={(v) => setStore({ infigo: { apiToken: v } })}
          testId="infigo-token"
        />
      </SimpleGrid>
      <Group>
        <Button
          variant="light"
          loading={check.busy}
          disabled={!store.infigo.baseUrl || !store.infigo.apiToken}
          onClick={() => void check.run({ baseUrl: store.infigo.baseUrl, apiToken: store.infigo.apiToken })}
          data-testid="infigo-check"
        >
          {t('setup.checkConnection')}
        </Button>
        <Button variant="subtle" onClick={addStore}>
          {t('setup.infigo.addStore')}
        </Button>
      </Group>
      <CallErrorAlert error={check.error} />
      {check.result && <CheckResults results={check.result} />}
    </Stack>
  );
}

