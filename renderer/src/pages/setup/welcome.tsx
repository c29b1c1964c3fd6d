import { Alert, Button, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../api/hooks';
import { CallErrorAlert } from '../../components/common';
import { engineText } from '../../i18n/engine-text';

// Step 1: what Presslink does and what the admin needs, and the choice between connecting a
// real store and trying the sandbox. "Start" is this step's "continue".

export function WelcomeStep({ onReal, onSandbox }: { onReal: () => void; onSandbox: (msg: string) => void }) {
  const { t } = useTranslation();
  const sandbox = useAction('setup.useSandbox');
  return (
    <Stack>
      <Text>{t('setup.welcome.intro')}</Text>
      <Text size="sm">{t('setup.welcome.need')}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={3} size="h5">
            {t('setup.welcome.realTitle')}
          </Title>
          <Text size="sm" my="xs">
            {t('setup.welcome.realText')}
          </Text>
          <Button onClick={onReal} data-testid="setup-real">
            {t('setup.welcome.realButton')}
          </Button>
        </Card>
        <Card withBorder>
          <Title order={3} size="h5">
            {t('setup.welcome.sandboxTitle')}
          </Title>
          <Text size="sm" my="xs">
            {t('setup.welcome.sandboxText')}
          </Text>
          <Button
            variant="light"
            loading={sandbox.busy}
            data-testid="setup-sandbox"
            onClick={async () => {
              const r = await sandbox.run({ orders: 20 });
              if (r?.ok) onSandbox(engineText(r.message, r.msg));
            }}
          >
            {t('setup.welcome.sandboxButton')}
          </Button>
          {sandbox.result && !sandbox.result.ok && (
            <Alert color="orange" mt="xs">
              {engineText(sandbox.result.message, sandbox.result.msg)}
            </Alert>
          )}
        </Card>
      </SimpleGrid>
      <CallErrorAlert error={sandbox.error} />
    </Stack>
  );
}

