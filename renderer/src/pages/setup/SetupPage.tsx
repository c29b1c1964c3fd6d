import { Alert, Button, Card, Group, Loader, Progress, Stack, Stepper, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../../shared/contract';
import { useConfig, type Cfg } from '../../api/config';
import { CallErrorAlert, ProblemList } from '../../components/common';
import { api } from '../../store/engine';
import { ChecklistPanel } from '../Checklist';
import { MappingsEditor } from '../Mappings';
import { ActivateStep } from './activate';
import { GelatoStep } from './gelato';
import { InfigoStep } from './infigo';
import { OrderTypesStep } from './orderTypes';
import { ShippingStep } from './shipping';
import { StatusStep } from './statusUpdates';
import { WelcomeStep } from './welcome';

const STEPS = ['welcome', 'infigo', 'gelato', 'orderTypes', 'products', 'shipping', 'statusUpdates', 'testOrders', 'activate'] as const;
type StepName = (typeof STEPS)[number];
/** Steps whose edits live in the draft config and are saved on "Next". */
const SAVES_CONFIG: ReadonlySet<StepName> = new Set(['infigo', 'gelato', 'orderTypes', 'shipping', 'statusUpdates']);

export function SetupPage() {
  const { t } = useTranslation();
  const cfg = useConfig();
  const [draft, setDraftState] = useState<Cfg | null>(null);
  const [dirty, setDirty] = useState(false);
  const [step, setStep] = useState(1);
  const [completed, setCompleted] = useState<number[]>([]);
  const [progressError, setProgressError] = useState<unknown>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('setup.progress', {})
      .then((p) => {
        setStep(Math.min(9, Math.max(1, p.step)));
        setCompleted(p.completed);
      })
      .catch(setProgressError);
  }, []);
  useEffect(() => {
    if (cfg.config && !dirty) setDraftState(cfg.config);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cfg.config]);

  const setDraft = (f: (d: Cfg) => Cfg) => {
    setDraftState((d) => f(d ?? {}));
    setDirty(true);
  };

  const saveDraft = async (): Promise<boolean> => {
    if (!draft) return false;
    if (!dirty) return true;
    setSaving(true);
    setSaveError(null);
    const r = await cfg.save(draft);
    setSaving(false);
    setProblems(r.problems);
    if (r.ok) setDirty(false);
    else if (r.error && r.problems.length === 0) setSaveError(r.error);
    return r.ok;
  };

  const goTo = async (next: number, markDone: boolean) => {
    const name = STEPS[step - 1];
    if (markDone && name && SAVES_CONFIG.has(name) && !(await saveDraft())) return;
    const done = markDone && !completed.includes(step) ? [...completed, step].sort((a, b) => a - b) : completed;
    setCompleted(done);
    setStep(next);
    setProblems([]);
    try {
      await api.call('setup.saveProgress', { step: next, completed: done });
    } catch (e) {
      // Progress is a convenience; losing it must not block the wizard.
      setProgressError(e);
    }
  };

  const name = STEPS[step - 1] ?? 'welcome';
  const pct = Math.round((completed.length / STEPS.length) * 100);

  return (
    <Stack>
      <Title order={2}>{t('setup.title')}</Title>
      <Group gap="sm">
        <Progress value={pct} w={240} aria-label={t('setup.progress')} />
        <Text size="sm">{t('setup.progressText', { done: completed.length, total: STEPS.length })}</Text>
      </Group>
      {progressError ? <CallErrorAlert error={progressError} /> : null}
      <CallErrorAlert error={cfg.error} onRetry={() => void cfg.reload()} />
      <Stepper active={step - 1} onStepClick={(i) => void goTo(i + 1, false)} size="sm" wrap allowNextStepsSelect>
        {STEPS.map((s, i) => (
          <Stepper.Step key={s} label={t(`setup.steps.${s}`)} completedIcon={completed.includes(i + 1) ? undefined : i + 1} aria-label={t('setup.stepN', { n: i + 1, name: t(`setup.steps.${s}`) })} />
        ))}
      </Stepper>
      <Card withBorder data-testid={`setup-step-${name}`}>
        <Title order={3} size="h4" mb="sm">
          {t('setup.stepN', { n: step, name: t(`setup.steps.${name}`) })}
        </Title>
        {note && (
          <Alert color="green" mb="sm" role="status">
            {note}
          </Alert>
        )}
        {!draft && !cfg.error && <Loader aria-label={t('common.loading')} />}
        {draft && (
          <>
            {name === 'welcome' && (
              <WelcomeStep
                onReal={() => void goTo(2, true)}
                onSandbox={(msg) => {
                  setNote(msg);
                  setDirty(false);
                  void cfg.reload().then(() => goTo(2, true));
                }}
              />
            )}
            {name === 'infigo' && <InfigoStep draft={draft} setDraft={setDraft} />}
            {name === 'gelato' && <GelatoStep draft={draft} setDraft={setDraft} />}
            {name === 'orderTypes' && <OrderTypesStep draft={draft} setDraft={setDraft} save={saveDraft} />}
            {name === 'products' && <MappingsEditor compact />}
            {name === 'shipping' && <ShippingStep draft={draft} setDraft={setDraft} />}
            {name === 'statusUpdates' && <StatusStep draft={draft} setDraft={setDraft} />}
            {name === 'testOrders' && <ChecklistPanel sandbox />}
            {name === 'activate' && <ActivateStep draft={draft} save={saveDraft} />}
          </>
        )}
        {problems.length > 0 && (
          <Alert color="red" title={t('setup.saveProblems')} mt="md" data-testid="setup-problems">
            <ProblemList problems={problems} />
          </Alert>
        )}
        <CallErrorAlert error={saveError} />
      </Card>
      <Group justify="space-between">
        <Button variant="default" disabled={step === 1} onClick={() => void goTo(step - 1, false)}>
          {t('common.back')}
        </Button>
        {step < STEPS.length && (
          <Button onClick={() => void goTo(step + 1, true)} loading={saving} data-testid="setup-next">
            {SAVES_CONFIG.has(name) ? t('setup.saveNext') : t('setup.next')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

