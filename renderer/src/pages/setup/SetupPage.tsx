import { Alert, Anchor, Button, Card, Group, List, Loader, Modal, Progress, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { Cfg } from '../../api/config';
import { dedupeRepeats } from '../../components/checkText';
import { CallErrorAlert, UnsavedChoices } from '../../components/common';
import { navigate, useRoute } from '../../router';
import { failureReasons } from '../../setup/connection';
import { hasErrors, mergeErrors, problemToError, type FieldError, type FieldErrors } from '../../setup/fieldErrors';
import { ACTIVATE_STEP, firstNotDone, isStepName, setDone, STEP_COUNT, stepName, stepNumber, withActivation, type StepName } from '../../setup/steps';
import { api, useEngine } from '../../store/engine';
import { ChecklistPanel } from '../Checklist';
import { MappingsEditor, type EditorGuard } from '../Mappings';
import { ActivateStep } from './activate';
import { GelatoStep } from './gelato';
import { InfigoStep } from './infigo';
import { OrderTypesStep } from './orderTypes';
import { ownerOf, planSave, RULES } from './plan';
import { ShippingStep } from './shipping';
import {
  discard,
  hasUnsavedChanges,
  loadWizard,
  markTried,
  resetWizard,
  runCheck,
  runFor,
  saveDone,
  savedNow,
  setDraft,
  setUnverified,
  useWizard,
  wait,
} from './state';
import { StatusStep } from './statusUpdates';
import { StepNav } from './StepNav';
import type { StepProps } from './types';
import { WelcomeStep } from './welcome';

// The wizard's shell: the steps, where the person is, what is done, and the one way a step is
// left. "Save and continue" validates the step's own fields, checks its connections (a failing
// check is saved only on an explicit "save anyway", and the step then stays not done), saves
// — or keeps the step's part until a later step completes the config — and marks it done.
// Leaving a step any other way with unsaved changes asks first.

type Question =
  | { kind: 'unsaved'; step: StepName }
  | { kind: 'checkFailed'; failing: { label: string; reasons: string[] }[]; willSave: boolean };
type Answer = 'save' | 'discard' | 'stay' | 'anyway';

/** Problems outside the current step's fields: which step owns them, and what is wrong. */
type Elsewhere = { step: StepName | null; path: string; error: FieldError }[];

/** An error the engine reported for a field; shown until the field's value changes. */
interface ServerError {
  path: string;
  error: FieldError;
  value: string;
}

function valueAtPath(cfg: Cfg | null, path: string): string {
  let cur: unknown = cfg;
  for (const part of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return JSON.stringify(cur ?? null);
}

export function SetupPage() {
  const { t } = useTranslation();
  const { param } = useRoute();
  const draft = useWizard((s) => s.draft);
  const done = useWizard((s) => s.done);
  const waiting = useWizard((s) => s.waiting);
  const tried = useWizard((s) => s.tried);
  const loadError = useWizard((s) => s.loadError);
  const status = useEngine((s) => s.status);
  const [current, setCurrent] = useState<number | null>(null);
  const [busy, setBusy] = useState<null | 'checking' | 'saving'>(null);
  const [note, setNote] = useState<{ text: string; color: 'blue' | 'green' | 'yellow' } | null>(null);
  const [elsewhere, setElsewhere] = useState<Elsewhere>([]);
  const [serverErrors, setServerErrors] = useState<ServerError[]>([]);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [callError, setCallError] = useState<unknown>(null);
  const [resetKey, setResetKey] = useState(0);
  const [question, setQuestion] = useState<{ q: Question; resolve: (a: Answer) => void } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const editor = useRef<EditorGuard | null>(null);

  const ask = (q: Question) => new Promise<Answer>((resolve) => setQuestion({ q, resolve }));
  const answer = (a: Answer) => {
    question?.resolve(a);
    setQuestion(null);
  };

  useEffect(() => {
    Promise.all([loadWizard(), api.call('engine.status', {})])
      .then(([d, st]) => {
        useEngine.getState().setStatus(st);
        // A link to a step ("#/setup/shipping") opens it; otherwise the first step not done.
        setCurrent(isStepName(param) ? stepNumber(param) : firstNotDone(withActivation(d, !!st.activatedAt)));
        if (param) window.location.replace('#/setup');
      })
      .catch(() => setCurrent(1));
    // Once per visit of the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const name = stepName(current ?? 1);
  const rules = RULES[name];
  // "Activate" is done exactly when the engine is live; every other step as the engine keeps it.
  const doneList = withActivation(done ?? [], status ? !!status.activatedAt : null);

  // Errors next to fields: the step's own validation, live, once the person tried to continue;
  // and what the engine refused on save, until the field changes.
  const shownErrors: FieldErrors =
    draft && tried.includes(name)
      ? mergeErrors(
          rules ? rules.validate(draft) : {},
          localErrors,
          Object.fromEntries(serverErrors.filter((e) => valueAtPath(draft, e.path) === e.value).map((e) => [e.path, e.error])),
        )
      : {};

  const clearMessages = () => {
    setElsewhere([]);
    setServerErrors([]);
    setCallError(null);
  };

  const go = useCallback(async (target: number, nextDone: number[]) => {
    setCurrent(target);
    setLocalErrors({});
    window.scrollTo?.({ top: 0 });
    setTimeout(() => headingRef.current?.focus(), 0);
    try {
      await saveDone(nextDone, target);
    } catch (e) {
      // Progress is a convenience; losing it must not block the wizard.
      setCallError(e);
    }
  }, []);

  /** Shows what the config refused, next to this step's fields or as links to the steps that own it. */
  const showProblems = (byPath: { path: string; error: FieldError }[], cfg: Cfg | null) => {
    const mine = byPath.filter((p) => ownerOf(p.path) === name || (name === 'shipping' && p.path.startsWith('shipping.row')));
    const others = byPath.filter((p) => !mine.includes(p));
    setServerErrors(mine.map((p) => ({ ...p, value: valueAtPath(cfg, p.path) })));
    setElsewhere(others.map((p) => ({ ...p, step: ownerOf(p.path) })));
    setTimeout(() => (document.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus(), 0);
  };

  /**
   * Saves the current step's part if it can be saved now. Returns 'saved', 'waiting' (kept until
   * a later step completes the config) or null when it could not (the reason is shown).
   */
  const save = async (opts: { mayWait: boolean }): Promise<{ outcome: 'saved' | 'waiting'; steps: StepName[] } | null> => {
    const s = useWizard.getState();
    if (!s.draft) return null;
    setBusy('saving');
    try {
      const latest = ((await api.call('config.get', {})).config ?? {}) as Cfg;
      const plan = planSave(latest, s.draft, name, s.waiting);
      if (plan.kind === 'blocked') {
        showProblems(
          Object.values(plan.errors).flatMap((errs) => Object.entries(errs ?? {}).map(([path, error]) => ({ path, error }))),
          s.draft,
        );
        return null;
      }
      if (plan.kind === 'wait') {
        if (!opts.mayWait) {
          setNote({ color: 'yellow', text: t('setup.saveNeedsLater', { later: plan.waitingFor.map((x) => t('setup.stepN', { n: stepNumber(x), name: t(`setup.steps.${x}`) })).join(', ') }) });
          return null;
        }
        wait(name);
        return { outcome: 'waiting', steps: plan.waitingFor };
      }
      const r = await api.call('config.save', { config: plan.config });
      if (!r.ok) {
        showProblems(
          r.problems.map((p) => ({ path: p.path, error: problemToError(p) })),
          plan.config,
        );
        return null;
      }
      const fresh = ((await api.call('config.get', {})).config ?? {}) as Cfg;
      savedNow(fresh, plan.steps);
      return { outcome: 'saved', steps: plan.steps };
    } catch (e) {
      setCallError(e);
      return null;
    } finally {
      setBusy(null);
    }
  };

  /** Step 5's mapping editor saves by itself: rows typed there and not saved are asked about like a step's edits. */
  const settleEditor = async (): Promise<boolean> => {
    const g = editor.current;
    if (rules || !g?.isDirty()) return true;
    const a = await ask({ kind: 'unsaved', step: name });
    if (a === 'stay') return false;
    if (a === 'save') return g.save();
    g.discard();
    return true;
  };

  /** "Save and continue" (or "save and go" from the unsaved-changes question) to `target`. */
  const complete = async (target: number) => {
    if (!(await settleEditor())) return;
    const s = useWizard.getState();
    if (!s.draft || current === null) return;
    clearMessages();
    const n = current;
    const wasDone = doneList.includes(n);
    const dirty = hasUnsavedChanges(name, s);
    const isWaiting = s.waiting.includes(name);

    if (rules) {
      markTried(name);
      if (hasErrors(mergeErrors(rules.validate(s.draft), localErrors))) {
        setTimeout(() => (document.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus(), 0);
        return;
      }
    }
    if (wasDone && !dirty && !isWaiting) {
      await go(target, doneList);
      return;
    }

    // A connection counts only when its check passed for exactly these values.
    let unverified = false;
    const specs = rules?.connections?.(s.draft) ?? [];
    if (specs.length) {
      setBusy('checking');
      const runs = await Promise.all(
        specs.map((spec) => {
          const prev = runFor(spec);
          return prev && prev.state !== 'running' ? prev : runCheck(name, spec);
        }),
      );
      setBusy(null);
      const failing = specs.map((spec, i) => ({ label: spec.label, reasons: failureReasons(runs[i]).map(dedupeRepeats) })).filter((f) => f.reasons.length > 0);
      if (failing.length) {
        const a = await ask({ kind: 'checkFailed', failing, willSave: dirty || isWaiting });
        if (a !== 'anyway') return;
        unverified = true;
      }
    }
    setUnverified(name, unverified);

    let nextDone = setDone(doneList, n, !unverified);
    if (rules && (dirty || isWaiting || !wasDone)) {
      const r = await save({ mayWait: true });
      if (!r) return;
      if (r.outcome === 'waiting') {
        // Not done until it is saved: the step waits for the later step(s) named.
        nextDone = setDone(doneList, n, false);
        setNote({ color: 'blue', text: t('setup.waitingNote', { step: t(`setup.steps.${name}`), later: r.steps.map((x) => t('setup.stepN', { n: stepNumber(x), name: t(`setup.steps.${x}`) })).join(', ') }) });
      } else {
        const unv = useWizard.getState().unverified;
        nextDone = doneList;
        for (const st of r.steps) nextDone = setDone(nextDone, stepNumber(st), !unv.includes(st));
        setNote(null);
      }
    } else {
      setNote(null);
    }
    await go(target, nextDone);
  };

  /** Back, a click on the stepper, a link: asks first when the step has unsaved changes. */
  const requestGo = async (target: number) => {
    if (current === null || target === current) return;
    if (!(await settleEditor())) return;
    if (rules && hasUnsavedChanges(name)) {
      const a = await ask({ kind: 'unsaved', step: name });
      if (a === 'stay') return;
      if (a === 'save') return complete(target);
      discard(name);
      setResetKey((k) => k + 1);
    }
    clearMessages();
    setNote(null);
    await go(target, doneList);
  };

  const stepProps: StepProps | null = draft
    ? {
        draft,
        setDraft,
        errors: shownErrors,
        setLocalErrors,
        goTo: (n) => void requestGo(n),
        saveNow: async () => {
          const s = useWizard.getState();
          if (!s.draft) return false;
          markTried(name);
          if (rules && hasErrors(mergeErrors(rules.validate(s.draft), localErrors))) return false;
          if (rules && !hasUnsavedChanges(name, s) && !s.waiting.includes(name)) return true;
          // Saving for a preview is not "continue": a step that would have to wait is not confirmed here.
          const r = await save({ mayWait: false });
          return r?.outcome === 'saved';
        },
      }
    : null;

  if (current === null) {
    return (
      <Stack>
        <Title order={2}>{t('setup.title')}</Title>
        {loadError ? <CallErrorAlert error={loadError} onRetry={() => window.location.reload()} /> : <Loader aria-label={t('common.loading')} />}
      </Stack>
    );
  }

  const pct = Math.round((doneList.length / STEP_COUNT) * 100);
  const isWaiting = waiting.includes(name) && !doneList.includes(current);
  const continueLabel = rules ? t('setup.saveNext') : t('setup.next');

  return (
    // Mantine's error red is below WCAG AA on white; the darker shade the app uses for light colours passes.
    <Stack style={{ '--mantine-color-error': 'var(--mantine-color-red-light-color)' } as CSSProperties}>
      <Title order={2}>{t('setup.title')}</Title>
      <Group gap="sm">
        <Progress value={pct} w={240} aria-label={t('setup.progress')} />
        <Text size="sm" data-testid="setup-progress-text">
          {t('setup.progressText', { done: doneList.length, total: STEP_COUNT })}
        </Text>
      </Group>
      <StepNav current={current} done={doneList} waiting={waiting} onSelect={(n) => void requestGo(n)} />
      <Card withBorder data-testid={`setup-step-${name}`} data-done={doneList.includes(current) ? 'true' : 'false'}>
        <Title order={3} size="h4" mb="sm" tabIndex={-1} ref={headingRef}>
          {t('setup.stepN', { n: current, name: t(`setup.steps.${name}`) })}
        </Title>
        {note && (
          <Alert color={note.color} mb="sm" role="status" data-testid="setup-note">
            {note.text}
          </Alert>
        )}
        {isWaiting && !note && (
          <Alert color="blue" mb="sm" role="status" data-testid="setup-waiting">
            {t('setup.waitingHere')}
          </Alert>
        )}
        {!draft && <Loader aria-label={t('common.loading')} />}
        {stepProps && (
          <div key={`${name}-${resetKey}`}>
            {name === 'welcome' && (
              <WelcomeStep
                onReal={() => void complete(2)}
                onSandbox={async (msg) => {
                  resetWizard();
                  await loadWizard().catch(() => undefined);
                  setNote({ color: 'green', text: msg });
                  await go(2, setDone(useWizard.getState().done ?? doneList, 1, true));
                }}
              />
            )}
            {name === 'infigo' && <InfigoStep {...stepProps} />}
            {name === 'gelato' && <GelatoStep {...stepProps} />}
            {name === 'orderTypes' && <OrderTypesStep {...stepProps} />}
            {name === 'products' && <MappingsEditor compact guard={editor} />}
            {name === 'shipping' && <ShippingStep {...stepProps} />}
            {name === 'statusUpdates' && <StatusStep {...stepProps} />}
            {name === 'activate' && draft && (
              <ActivateStep
                draft={draft}
                done={doneList}
                waiting={waiting}
                configured={!!status?.configured}
                onGo={(n) => void requestGo(n)}
                onActivated={() => saveDone(setDone(doneList, ACTIVATE_STEP, true), ACTIVATE_STEP).catch(setCallError)}
              />
            )}
            {name === 'testOrders' && (
              <ChecklistPanel
                embedded
                onSettled={() => {
                  // Every point passes (or is waived): the last step is done.
                  const cur = useWizard.getState().done ?? [];
                  if (!cur.includes(stepNumber('testOrders'))) void saveDone(setDone(doneList, stepNumber('testOrders'), true), stepNumber('testOrders')).catch(setCallError);
                }}
              />
            )}
          </div>
        )}
        {elsewhere.length > 0 && (
          <Alert color="red" title={t('setup.elsewhereTitle')} mt="md" data-testid="setup-problems" role="alert">
            <List size="sm" spacing={4}>
              {elsewhere.map((p) => (
                <List.Item key={p.path}>
                  {p.step ? (
                    <Anchor component="button" type="button" c="inherit" underline="always" onClick={() => void requestGo(stepNumber(p.step!))}>
                      {t('setup.stepN', { n: stepNumber(p.step), name: t(`setup.steps.${p.step}`) })}
                    </Anchor>
                  ) : (
                    <Text span fw={600}>
                      {t('setup.elsewhereOther')}
                    </Text>
                  )}
                  {': '}
                  {t(p.error.key, p.error.values)}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <CallErrorAlert error={callError} />
      </Card>
      <Group justify="space-between">
        <Button variant="default" disabled={current === 1} onClick={() => void requestGo(current - 1)} data-testid="setup-back">
          {t('common.back')}
        </Button>
        {current === STEP_COUNT && (
          <Button variant="light" onClick={() => navigate('dashboard')} data-testid="setup-finish">
            {t('setup.toDashboard')}
          </Button>
        )}
        {current < STEP_COUNT && current !== ACTIVATE_STEP && (
          <Group gap="sm">
            {busy === 'checking' && (
              <Text size="sm" role="status">
                {t('setup.check.running')}
              </Text>
            )}
            <Button onClick={() => void complete(current + 1)} loading={busy !== null} data-testid="setup-next">
              {continueLabel}
            </Button>
          </Group>
        )}
      </Group>
      <QuestionModal question={question?.q ?? null} onAnswer={answer} />
    </Stack>
  );
}

function QuestionModal({ question, onAnswer }: { question: Question | null; onAnswer: (a: Answer) => void }) {
  const { t } = useTranslation();
  const q = question;
  const title = !q ? '' : q.kind === 'unsaved' ? t('setup.unsaved.title') : t('setup.checkFailed.title');
  return (
    <Modal opened={!!q} onClose={() => onAnswer('stay')} title={title} size="lg" centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      {q?.kind === 'unsaved' && (
        <UnsavedChoices text={t('setup.unsaved.text', { step: t(`setup.steps.${q.step}`) })} testId="setup-unsaved" buttonTestId="unsaved" onAnswer={onAnswer} />
      )}
      {q?.kind === 'checkFailed' && (
        <Stack data-testid="setup-check-failed">
          <Text size="sm">{t('setup.checkFailed.text')}</Text>
          {q.failing.map((f) => (
            <div key={f.label}>
              <Text fw={600} size="sm">
                {f.label}
              </Text>
              <List size="sm">
                {f.reasons.map((r) => (
                  <List.Item key={r}>{r}</List.Item>
                ))}
              </List>
            </div>
          ))}
          <Text size="sm">{q.willSave ? t('setup.checkFailed.anywayText') : t('setup.checkFailed.continueText')}</Text>
          <Group justify="flex-end">
            <Button variant="light" color="orange" onClick={() => onAnswer('anyway')} data-testid="setup-check-anyway">
              {q.willSave ? t('setup.checkFailed.saveAnyway') : t('setup.checkFailed.continueAnyway')}
            </Button>
            <Button onClick={() => onAnswer('stay')} data-testid="setup-check-fix" data-autofocus>
              {t('setup.checkFailed.fix')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
