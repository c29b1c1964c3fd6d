import { Button, Group, MultiSelect, Radio, SimpleGrid, Stack, Table, TagsInput, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { INFIGO_PRODUCT_TYPES } from '../../../../shared/domain/infigo';
import type { Cfg } from '../../api/config';
import { useAction } from '../../api/hooks';
import { CallErrorAlert } from '../../components/common';
import type { StepProps } from './types';

// Step 4: which Infigo product types are printed and which are stock, with a preview of the
// classification on recent orders. Validation and this step's part of the config are in
// orderTypes.rules.ts.

export function OrderTypesStep({ draft, setDraft, saveNow: save }: StepProps) {
  const { t } = useTranslation();
  const ot = draft.orderTypes ?? {};
  const printable = ot.printable?.productTypes ?? [20, 30, 40, 50, 80];
  const stock = ot.stock?.productTypes ?? [10];
  const preview = useAction('mappings.classifyPreview');
  const typeData = INFIGO_PRODUCT_TYPES.map((p) => ({ value: String(p.type), label: `${p.type} · ${p.name}` }));
  const setOt = (patch: Partial<NonNullable<Cfg['orderTypes']>>) => setDraft((d) => ({ ...d, orderTypes: { ...(d.orderTypes ?? {}), ...patch } }));

  return (
    <Stack>
      <Text>{t('setup.orderTypes.intro')}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <MultiSelect
          label={t('setup.orderTypes.printable')}
          data={typeData}
          value={printable.map(String)}
          onChange={(v) => setOt({ printable: { ...(ot.printable ?? {}), productTypes: v.map(Number) } })}
        />
        <MultiSelect label={t('setup.orderTypes.stock')} data={typeData} value={stock.map(String)} onChange={(v) => setOt({ stock: { ...(ot.stock ?? {}), productTypes: v.map(Number) } })} />
        <TagsInput
          label={t('setup.orderTypes.printableTags')}
          description={t('setup.orderTypes.tagsHint')}
          value={ot.printable?.tags ?? []}
          onChange={(v) => setOt({ printable: { ...(ot.printable ?? {}), tags: v } })}
        />
        <TagsInput label={t('setup.orderTypes.stockTags')} value={ot.stock?.tags ?? []} onChange={(v) => setOt({ stock: { ...(ot.stock ?? {}), tags: v } })} />
      </SimpleGrid>
      <Radio.Group label={t('setup.orderTypes.policy')} value={ot.stockPolicy ?? 'exclude'} onChange={(v) => setOt({ stockPolicy: v as 'exclude' | 'send-as-stock' | 'hold' })}>
        <Stack gap={6} mt={6}>
          <Radio value="exclude" label={t('setup.orderTypes.policyExclude')} />
          <Radio value="send-as-stock" label={t('setup.orderTypes.policySend')} />
          <Radio value="hold" label={t('setup.orderTypes.policyHold')} />
        </Stack>
      </Radio.Group>
      <Group>
        <Button
          variant="light"
          loading={preview.busy}
          onClick={async () => {
            if (await save()) void preview.run({ limit: 25 });
          }}
        >
          {t('setup.orderTypes.preview')}
        </Button>
      </Group>
      <CallErrorAlert error={preview.error} />
      {preview.result && preview.result.length === 0 && <Text c="dimmed">{t('setup.orderTypes.noOrders')}</Text>}
      {preview.result && preview.result.length > 0 && (
        <Table aria-label={t('setup.orderTypes.preview')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('orders.col.store')}</Table.Th>
              <Table.Th>{t('orders.col.infigo')}</Table.Th>
              <Table.Th>{t('order.line.sku')}</Table.Th>
              <Table.Th>{t('setup.orderTypes.productType')}</Table.Th>
              <Table.Th>{t('order.line.kind')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.result.flatMap((o) =>
              o.lines.map((l) => (
                <Table.Tr key={`${o.orderId}-${l.jobId}`}>
                  <Table.Td>{o.storeId}</Table.Td>
                  <Table.Td>{o.orderId}</Table.Td>
                  <Table.Td>{l.sku ?? l.name ?? '—'}</Table.Td>
                  <Table.Td>{l.productType ?? '—'}</Table.Td>
                  <Table.Td>{t(`kind.${l.kind}`)}</Table.Td>
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

