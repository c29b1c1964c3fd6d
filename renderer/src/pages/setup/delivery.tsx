import { Alert, Button, Group, List, Radio, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Cfg } from '../../api/config';
import { addressNeededFor, addressReach, unreachable } from '../../setup/address';
import { fingerprint } from '../../setup/connection';
import { ConnectionCheck } from './ConnectionCheck';
import { SecretInput } from './fields';
import { runCheck, useWizard } from './state';
import { deliveryOf, emptyS3, publicAddressOf, statusUpdatesRules, type DeliveryDraft } from './statusUpdates.rules';

// Step 7, first part: how GelatoConnect and Infigo reach this Presslink. GelatoConnect fetches
// print files by URL, posts status changes (postbacks), and the Infigo checkout asks for
// shipping prices; on a prepress PC behind a router none of them reaches 127.0.0.1. The part
// explains the three ways out (a bucket, a tunnel or proxy with https, the engine on a
// server), warns about an address only this computer or network reaches, sets the address and
// the file delivery, and tests the chosen one from the outside in (setup.checkDelivery).

export function DeliverySection({ draft, setDraft, err }: { draft: Cfg; setDraft: (f: (d: Cfg) => Cfg) => void; err: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const address = publicAddressOf(draft) ?? '';
  const delivery = deliveryOf(draft);
  const reach = addressReach(address);
  const needed = addressNeededFor({ ...draft, files: { ...(draft.files ?? {}), delivery } });
  const specs = statusUpdatesRules.connections!(draft);
  const addressSpec = specs.find((s) => s.id === 'address');
  const bucketSpec = specs.find((s) => s.id === 'bucket');
  const running = useWizard((s) => specs.some((sp) => s.runs[fingerprint(sp)]?.state === 'running'));

  const setAddress = (v: string) =>
    setDraft((d) => {
      const dl = deliveryOf(d);
      return { ...d, server: { ...(d.server ?? {}), publicBaseUrl: v || undefined }, files: { ...(d.files ?? {}), delivery: dl.kind === 'signed-url' ? { ...dl, publicBaseUrl: v } : dl } };
    });
  const setDelivery = (next: DeliveryDraft) => setDraft((d) => ({ ...d, files: { ...(d.files ?? {}), delivery: next } }));
  const setS3 = (patch: Partial<Extract<DeliveryDraft, { kind: 's3' }>>) => {
    if (delivery.kind === 's3') setDelivery({ ...delivery, ...patch });
  };

  return (
    <Stack data-testid="section-delivery">
      <Title order={4} size="h5" id="reach">
        {t('setup.delivery.title')}
      </Title>
      <Text size="sm">{t('setup.delivery.intro')}</Text>
      <List size="sm" spacing={4} data-testid="delivery-choices">
        <List.Item>
          <Text span fw={600} inherit>
            {t('setup.delivery.way.s3Title')}
          </Text>{' '}
          {t('setup.delivery.way.s3')}
        </List.Item>
        <List.Item>
          <Text span fw={600} inherit>
            {t('setup.delivery.way.tunnelTitle')}
          </Text>{' '}
          {t('setup.delivery.way.tunnel')}
        </List.Item>
        <List.Item>
          <Text span fw={600} inherit>
            {t('setup.delivery.way.serverTitle')}
          </Text>{' '}
          {t('setup.delivery.way.server')}
        </List.Item>
      </List>

      <TextInput
        label={t('setup.publicBaseUrl')}
        description={t('setup.publicBaseUrlHint')}
        placeholder="https://presslink.yourshop.com"
        value={address}
        error={err('server.publicBaseUrl') ?? err('files.delivery.publicBaseUrl')}
        onChange={(e) => setAddress(e.currentTarget.value.trim())}
        data-testid="status-public-url"
      />
      {unreachable(reach) && reach !== 'invalid' && (
        <Alert color={needed.length ? 'orange' : 'yellow'} role="status" data-testid="address-warning" data-reach={reach} title={t(`setup.delivery.reach.${reach}Title`)}>
          <Stack gap={4}>
            <Text size="sm">{t(`setup.delivery.reach.${reach}`, { url: address })}</Text>
            {needed.length > 0 && <Text size="sm">{t('setup.delivery.neededFor', { uses: needed.map((n) => t(`setup.delivery.use.${n}`)).join(', ') })}</Text>}
          </Stack>
        </Alert>
      )}
      {reach === 'http' && (
        <Alert color="yellow" role="status" data-testid="address-warning" data-reach={reach}>
          {t('setup.delivery.reach.http')}
        </Alert>
      )}

      <Radio.Group
        label={t('setup.delivery.files')}
        value={delivery.kind}
        onChange={(v) => setDelivery(v === 's3' ? (draft.files?.delivery?.kind === 's3' ? draft.files.delivery : emptyS3()) : { kind: 'signed-url', publicBaseUrl: address })}
      >
        <Stack gap={6} mt={6}>
          <Radio value="signed-url" label={t('setup.delivery.signedLabel')} description={t('setup.delivery.signedHint')} data-testid="delivery-signed" />
          <Radio value="s3" label={t('setup.delivery.s3Label')} description={t('setup.delivery.s3Hint')} data-testid="delivery-s3" />
        </Stack>
      </Radio.Group>
      {delivery.kind === 's3' && (
        <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="delivery-s3-fields">
          <TextInput
            label={t('setup.delivery.s3.endpoint')}
            description={t('setup.delivery.s3.endpointHint')}
            value={delivery.endpoint ?? ''}
            error={err('files.delivery.endpoint')}
            onChange={(e) => setS3({ endpoint: e.currentTarget.value.trim() || undefined })}
            data-testid="s3-endpoint"
          />
          <TextInput label={t('setup.delivery.s3.region')} value={delivery.region ?? ''} error={err('files.delivery.region')} onChange={(e) => setS3({ region: e.currentTarget.value.trim() })} data-testid="s3-region" />
          <TextInput label={t('setup.delivery.s3.bucket')} required value={delivery.bucket ?? ''} error={err('files.delivery.bucket')} onChange={(e) => setS3({ bucket: e.currentTarget.value.trim() })} data-testid="s3-bucket" />
          <TextInput
            label={t('setup.delivery.s3.prefix')}
            description={t('setup.delivery.s3.prefixHint')}
            value={delivery.prefix ?? ''}
            error={err('files.delivery.prefix')}
            onChange={(e) => setS3({ prefix: e.currentTarget.value })}
            data-testid="s3-prefix"
          />
          <SecretInput label={t('setup.delivery.s3.accessKeyId')} value={delivery.accessKeyId ?? ''} error={err('files.delivery.accessKeyId')} onChange={(v) => setS3({ accessKeyId: v })} testId="s3-access-key" />
          <SecretInput
            label={t('setup.delivery.s3.secretAccessKey')}
            value={delivery.secretAccessKey ?? ''}
            error={err('files.delivery.secretAccessKey')}
            onChange={(v) => setS3({ secretAccessKey: v })}
            testId="s3-secret-key"
          />
          <Switch
            label={t('setup.delivery.s3.forcePathStyle')}
            description={t('setup.delivery.s3.forcePathStyleHint')}
            checked={delivery.forcePathStyle ?? false}
            onChange={(e) => setS3({ forcePathStyle: e.currentTarget.checked })}
          />
        </SimpleGrid>
      )}

      <Group>
        {addressSpec && (
          <Button variant="light" loading={running} onClick={() => void runCheck('statusUpdates', addressSpec)} data-testid="delivery-test-address">
            {t('setup.delivery.testAddress')}
          </Button>
        )}
        {bucketSpec && (
          <Button variant="light" loading={running} onClick={() => void runCheck('statusUpdates', bucketSpec)} data-testid="delivery-test-bucket">
            {t('setup.delivery.testBucket')}
          </Button>
        )}
      </Group>
      {!addressSpec && !bucketSpec && (
        <Text size="sm" c="dimmed">
          {t('setup.delivery.nothingToTest')}
        </Text>
      )}
      {specs.map((sp) => (
        <ConnectionCheck key={sp.id} step="statusUpdates" spec={sp} title={sp.id === 'bucket' ? t('setup.delivery.bucketResults') : t('setup.delivery.addressResults')} />
      ))}
    </Stack>
  );
}
