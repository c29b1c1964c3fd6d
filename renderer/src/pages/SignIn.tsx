import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { signIn } from '../store/engine';

export function SignIn() {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) return;
    setBusy(true);
    setFailed(false);
    const ok = await signIn(token.trim());
    setBusy(false);
    if (!ok) setFailed(true);
  };

  return (
    <main>
      <Center mih="100vh" p="md">
        <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
          <form onSubmit={submit} aria-labelledby="signin-title">
            <Stack>
              <Title order={1} size="h3" id="signin-title">
                {t('signin.title')}
              </Title>
              <Text size="sm">{t('signin.explain')}</Text>
              <PasswordInput label={t('signin.token')} value={token} onChange={(e) => setToken(e.currentTarget.value)} autoFocus required data-testid="signin-token" />
              {failed && (
                <Alert color="red" role="alert">
                  {t('signin.failed')}
                </Alert>
              )}
              <Button type="submit" loading={busy} data-testid="signin-submit">
                {t('signin.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Center>
    </main>
  );
}
