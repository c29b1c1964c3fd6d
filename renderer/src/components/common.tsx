import { Alert, Badge, Button, Code, Collapse, CopyButton, Group, List, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CallError, type CheckResult, type Health, type Problem } from '../../../shared/contract';
import type { OrderState } from '../../../shared/domain/order-state';
import { callErrorText, checkFix, checkMessage, checkTitle, problemText } from '../i18n/engine-text';
import { dedupeRepeats } from './checkText';

export const STATE_COLORS: Record<OrderState, string> = {
  discovered: 'gray',
  classified: 'gray',
  files: 'cyan',
  submitting: 'indigo',
  submitted: 'blue',
  in_production: 'violet',
  shipped: 'teal',
  delivered: 'green',
  needs_attention: 'orange',
  skipped: 'dark',
  failed: 'red',
  canceled: 'dark',
  before_go_live: 'gray',
};

export function StateBadge({ state }: { state: OrderState }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLORS[state]} variant="light" autoContrast>
      {t(`state.${state}`)}
    </Badge>
  );
}

export const HEALTH_COLORS: Record<Health, string> = {
  healthy: 'green',
  syncing: 'blue',
  attention: 'orange',
  error: 'red',
  paused: 'gray',
  unconfigured: 'yellow',
};

export function HealthBadge({ health }: { health: Health | null }) {
  const { t } = useTranslation();
  if (!health) return <Badge color="gray" variant="dot" size="lg" data-testid="health-badge" data-health="unknown">{t('health.unknown')}</Badge>;
  return (
    // The dot variant keeps the text dark on white, readable for every health colour (AA).
    <Badge color={HEALTH_COLORS[health]} variant="dot" size="lg" data-testid="health-badge" data-health={health}>
      {t(`health.${health}`)}
    </Badge>
  );
}

export function ProblemList({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <List size="sm" spacing={2}>
      {problems.map((p, i) => (
        <List.Item key={`${p.path}-${i}`}>
          <Code>{p.path}</Code> {problemText(p)}
        </List.Item>
      ))}
    </List>
  );
}

/** Shows a failed call in place. "unavailable" is the engine saying "not yet", so it is calm, not red. */
export function CallErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const ce = error instanceof CallError ? error : null;
  const unavailable = ce?.code === 'unavailable';
  return (
    <Alert
      color={unavailable ? 'yellow' : 'red'}
      title={unavailable ? t('common.unavailableTitle') : t('common.errorTitle')}
      role={unavailable ? 'status' : 'alert'}
      data-testid={unavailable ? 'call-unavailable' : 'call-error'}
    >
      <Stack gap="xs">
        <Text size="sm">{callErrorText(error)}</Text>
        {ce?.problems && <ProblemList problems={ce.problems} />}
        {onRetry && (
          <Group>
            <Button size="xs" variant="light" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** A copy button; `label` names what is copied (for screen readers), `text` replaces "Copy" on the button. */
export function CopyValue({ value, label, text }: { value: string; label: string; text?: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? t('common.copied') : t('common.copy')}>
          <Button size="xs" variant={copied ? 'filled' : 'light'} color={copied ? 'teal.9' : undefined} onClick={copy} aria-label={`${t('common.copy')}: ${label}`}>
            {copied ? t('common.copied') : (text ?? t('common.copy'))}
          </Button>
        </Tooltip>
      )}
    </CopyButton>
  );
}

export function CopyBlock({ label, value, maxHeight = 260 }: { label: string; value: string; maxHeight?: number }) {
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text fw={600} size="sm">
          {label}
        </Text>
        <CopyValue value={value} label={label} />
      </Group>
      <Code block style={{ maxHeight, overflow: 'auto' }} tabIndex={0} aria-label={label}>
        {value}
      </Code>
    </Stack>
  );
}

const CHECK_COLORS: Record<CheckResult['status'], string> = { pass: 'green', fail: 'red', warn: 'yellow', skip: 'gray', waived: 'gray' };

export function CheckStatusBadge({ status }: { status: CheckResult['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={CHECK_COLORS[status]} variant="light" autoContrast style={{ flexShrink: 0 }}>
      {t(`check.${status}`)}
    </Badge>
  );
}

/**
 * Check results as a person reads them: every result shows what was found at once, a failure
 * or warning shows how to fix it without a click, and only the evidence (raw detail) waits
 * behind a button. Parts of a message the engine repeats ("Cannot reach X: Cannot reach X…")
 * are shown once.
 */
export function CheckResults({
  results,
  onWaive,
  busyId,
  titleOf,
}: {
  results: CheckResult[];
  onWaive?: (id: string, waived: boolean) => void;
  busyId?: string | null;
  /** The title to show for a result (e.g. a translated one); default: the engine's. */
  titleOf?: (r: CheckResult) => string;
}) {
  const { t } = useTranslation();
  if (results.length === 0) return <Text c="dimmed">{t('check.none')}</Text>;
  return (
    <Stack gap="xs" role="list">
      {results.map((r) => (
        <CheckItem key={r.id} r={r} title={titleOf ? titleOf(r) : checkTitle(r)} onWaive={onWaive} busy={busyId === r.id} />
      ))}
    </Stack>
  );
}

function CheckItem({ r, title, onWaive, busy }: { r: CheckResult; title: string; onWaive?: (id: string, waived: boolean) => void; busy: boolean }) {
  const { t } = useTranslation();
  const [showEvidence, setShowEvidence] = useState(false);
  const hasEvidence = r.evidence !== undefined && r.evidence !== null;
  const problem = r.status === 'fail' || r.status === 'warn';
  const evidenceId = `check-evidence-${r.id}`;
  return (
    <Paper withBorder p="sm" radius="sm" role="listitem" data-testid={`check-${r.id}`} data-status={r.status}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600}>{title}</Text>
          <CheckStatusBadge status={r.status} />
        </Group>
        <Text size="sm">{dedupeRepeats(checkMessage(r))}</Text>
        {r.fix && problem && (
          <Alert color="blue" variant="light" title={t('check.fix')} p="xs">
            {dedupeRepeats(checkFix(r))}
          </Alert>
        )}
        {(hasEvidence || (onWaive && (problem || r.status === 'skip' || r.status === 'waived'))) && (
          <Group gap="xs">
            {hasEvidence && (
              <Button size="xs" variant="subtle" onClick={() => setShowEvidence((v) => !v)} aria-expanded={showEvidence} aria-controls={evidenceId}>
                {showEvidence ? t('check.hideEvidence') : t('check.showEvidence')}
              </Button>
            )}
            {onWaive && (problem || r.status === 'skip' || r.status === 'waived') && (
              <Button size="xs" variant="default" loading={busy} onClick={() => onWaive(r.id, r.status !== 'waived')}>
                {r.status === 'waived' ? t('check.unwaive') : t('check.waive')}
              </Button>
            )}
          </Group>
        )}
        {hasEvidence && (
          <Collapse expanded={showEvidence} id={evidenceId}>
            <Text size="sm" fw={600}>
              {t('check.evidence')}
            </Text>
            <Code block tabIndex={0} style={{ maxHeight: 240, overflow: 'auto' }}>
              {typeof r.evidence === 'string' ? r.evidence : JSON.stringify(r.evidence, null, 2)}
            </Code>
          </Collapse>
        )}
      </Stack>
    </Paper>
  );
}

export function checkSummary(results: CheckResult[]): Record<CheckResult['status'], number> {
  const out = { pass: 0, fail: 0, warn: 0, skip: 0, waived: 0 };
  for (const r of results) out[r.status]++;
  return out;
}

/**
 * The answer to "you changed this and did not save": stay, discard, or save and go. Used by the
 * wizard's step question and by the mapping editor when its page is left.
 */
export function UnsavedChoices({ text, testId, buttonTestId, onAnswer }: { text: string; testId: string; buttonTestId: string; onAnswer: (a: 'stay' | 'discard' | 'save') => void }) {
  const { t } = useTranslation();
  return (
    <Stack data-testid={testId}>
      <Text size="sm">{text}</Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => onAnswer('stay')} data-testid={`${buttonTestId}-stay`}>
          {t('setup.unsaved.stay')}
        </Button>
        <Button variant="light" color="red" onClick={() => onAnswer('discard')} data-testid={`${buttonTestId}-discard`}>
          {t('setup.unsaved.discard')}
        </Button>
        <Button onClick={() => onAnswer('save')} data-testid={`${buttonTestId}-save`} data-autofocus>
          {t('setup.unsaved.save')}
        </Button>
      </Group>
    </Stack>
  );
}
