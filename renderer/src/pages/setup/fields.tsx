import { PasswordInput } from '@mantine/core';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isSecretReference } from '../../../../shared/config';
import type { FieldErrors } from '../../setup/fieldErrors';

// Inputs shared by the steps: the secret field, and the plain-language error of a field.

/** The translated error for a config path, or undefined: what a field's `error` prop takes. */
export function useFieldError(errors: FieldErrors): (path: string) => string | undefined {
  const { t } = useTranslation();
  return (path) => {
    const e = errors[path];
    return e ? t(e.key, e.values) : undefined;
  };
}

/**
 * A saved secret comes back from the engine as a reference ("secret:…" or "env:…"), never
 * the value. Show it as "saved" with an empty field; typing replaces it, clearing the field
 * keeps the saved one.
 */
export function SecretInput({
  label,
  description,
  value,
  onChange,
  testId,
  error,
}: {
  label: string;
  description?: string;
  value: string;
  onChange: (v: string) => void;
  testId?: string;
  error?: string;
}) {
  const { t } = useTranslation();
  const saved = useRef<string | null>(isSecretReference(value) ? value : null);
  if (isSecretReference(value)) saved.current = value;
  const showingSaved = saved.current !== null && value === saved.current;
  return (
    <PasswordInput
      label={label}
      description={showingSaved ? t('setup.secretStored') : description}
      placeholder={showingSaved ? '••••••••' : undefined}
      value={showingSaved ? '' : value}
      required
      error={error}
      onChange={(e) => {
        const v = e.currentTarget.value.trim();
        onChange(v === '' && saved.current ? saved.current : v);
      }}
      data-testid={testId}
    />
  );
}
