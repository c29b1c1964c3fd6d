import { Anchor, Divider, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DeliverySection } from './delivery';
import { useFieldError } from './fields';
import { PostbacksSection } from './postbacks';
import { WriterSection } from './statusWriter';
import type { StepProps } from './types';

// Step 7, in three parts, each in its own file: how GelatoConnect and Infigo reach this
// Presslink (public address, print files), how status and tracking reach Infigo (the status
// writer), and how GelatoConnect's status changes reach Presslink (postbacks or polling).
// Validation and this step's part of the config are in statusUpdates.rules.ts.

const PARTS = [
  ['reach', 'setup.status.parts.reach'],
  ['writer', 'setup.status.parts.writer'],
  ['from-gelato', 'setup.status.parts.fromGelato'],
] as const;

export function StatusStep({ draft, setDraft, errors, saveNow }: StepProps) {
  const { t } = useTranslation();
  const err = useFieldError(errors);
  return (
    <Stack>
      <Text>{t('setup.status.stepIntro')}</Text>
      <Group gap="md" component="nav" aria-label={t('setup.status.partsNav')}>
        {PARTS.map(([id, key], i) => (
          <Anchor
            key={id}
            href={`#${id}`}
            size="sm"
            onClick={(e) => {
              // The hash drives routing: scroll instead of following the link.
              e.preventDefault();
              document.getElementById(id)?.scrollIntoView({ block: 'start' });
            }}
          >
            {`${i + 1}. ${t(key)}`}
          </Anchor>
        ))}
      </Group>
      <DeliverySection draft={draft} setDraft={setDraft} err={err} />
      <Divider />
      <WriterSection draft={draft} setDraft={setDraft} err={err} saveNow={saveNow} />
      <Divider />
      <PostbacksSection draft={draft} setDraft={setDraft} err={err} />
    </Stack>
  );
}
