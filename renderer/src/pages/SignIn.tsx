import { Alert, Button, Center, Code, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { signIn } from '../store/engine';

let expiredLink: boolean | null = null;
/** True when the server sent us here because a sign-in link was spent or expired (`/?signin=expired`). */
function cameFromExpiredLink(): boolean {
  if (expiredLink !== null) return expiredLink;
  expiredLink = new URLSearchParams(window.location.search).get('signin') === 'expired';
  // Keep the address clean: a reload should not repeat the message.
  if (expiredLink) window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
  return expiredLink;
}

/**
 * Shown when the server asks this browser to sign in. The usual way in is the
 * one-time link `presslink serve` prints (opening it sets the session cookie and
 * never shows this page); here a person can paste that link or its code, or, on a
 * server reachable from the network, its access token.
 */
export function SignIn() {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [expired] = useState(cameFromExpiredLink);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!code.trim()) return;
    setBusy(true);
    setFailed(false);
    const ok = await signIn(code.trim());
    setBusy(false);
    if (!ok) setFailed(true);
  };

  return (
    <main>
      <Center mih="100vh" p="md">
        <Paper withBorder shadow="sm" p="xl" w={480} maw="100%">
          <form onSubmit={submit} aria-labelledby="signin-title">
            <Stack>
              <Title order={1} size="h3" id="signin-title">
                {t('signin.title')}
              </Title>
              {expired && !failed && (
                <Alert color="yellow" role="alert" data-testid="signin-expired">
                  {t('signin.expired')}
                </Alert>
              )}
              <Text size="sm">{t('signin.explain')}</Text>
              <Text size="sm">
                {t('signin.newLink')} <Code>presslink open-link</Code>
              </Text>
              <TextInput
                label={t('signin.token')}
                description={t('signin.tokenHint')}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                autoFocus
                required
                autoComplete="off"
                spellCheck={false}
                data-testid="signin-token"
              />
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
