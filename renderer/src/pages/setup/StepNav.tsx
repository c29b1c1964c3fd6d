import { Group, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { STEPS, type StepName } from '../../setup/steps';

// The row of steps. Done-ness comes from the one list the engine keeps (setup.progress), never
// from the position: going back to step 2 leaves steps 3–8 ticked if they are done.

export function StepNav({ current, done, waiting, onSelect }: { current: number; done: readonly number[]; waiting: readonly StepName[]; onSelect: (n: number) => void }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('setup.stepsNav')} data-testid="setup-stepper">
      <ol style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexWrap: 'wrap', gap: 'var(--mantine-spacing-xs)' }}>
        {STEPS.map((s, i) => {
          const n = i + 1;
          const isDone = done.includes(n);
          const isCurrent = n === current;
          const isWaiting = !isDone && waiting.includes(s);
          const state = isDone ? t('setup.stepDone') : isWaiting ? t('setup.stepWaiting') : t('setup.stepNotDone');
          return (
            <li key={s}>
              <UnstyledButton
                onClick={() => onSelect(n)}
                aria-current={isCurrent ? 'step' : undefined}
                aria-label={`${t('setup.stepN', { n, name: t(`setup.steps.${s}`) })}, ${state}`}
                data-testid={`setup-stepper-${s}`}
                data-completed={isDone || undefined}
                data-done={isDone ? 'true' : 'false'}
                px="xs"
                py={4}
                style={{
                  borderRadius: 'var(--mantine-radius-sm)',
                  border: `1px solid ${isCurrent ? 'var(--mantine-color-blue-6)' : 'transparent'}`,
                  background: isCurrent ? 'var(--mantine-color-blue-light)' : undefined,
                }}
              >
                <Group gap={6} wrap="nowrap">
                  <ThemeIcon size="sm" radius="xl" color={isDone ? 'green' : isWaiting ? 'yellow' : 'gray'} variant={isDone ? 'filled' : 'light'} aria-hidden>
                    <Text size="xs" fw={700} c={isDone ? 'white' : undefined}>
                      {isDone ? '✓' : isWaiting ? '…' : n}
                    </Text>
                  </ThemeIcon>
                  <Text size="sm" fw={isCurrent ? 700 : 500}>
                    {t(`setup.steps.${s}`)}
                  </Text>
                </Group>
              </UnstyledButton>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
