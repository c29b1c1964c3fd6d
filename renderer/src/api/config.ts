import { useCallback, useEffect, useState } from 'react';
import type { ConfigInput } from '../../../shared/config';
import { CallError, type Problem } from '../../../shared/contract';
import { api } from '../store/engine';

export type Cfg = ConfigInput;

export interface SaveOutcome {
  ok: boolean;
  problems: Problem[];
  error?: unknown;
}

/** Loads the stored config and saves a changed copy; problems come back per path. */
export function useConfig() {
  const [config, setConfig] = useState<Cfg | null>(null);
  const [configured, setConfigured] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api.call('config.get', {});
      setConfig((r.config ?? {}) as Cfg);
      setConfigured(r.configured);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const save = useCallback(async (next: Cfg): Promise<SaveOutcome> => {
    try {
      const r = await api.call('config.save', { config: next });
      if (r.ok) setConfig(next);
      return { ok: r.ok, problems: r.problems };
    } catch (e) {
      if (e instanceof CallError && e.problems) return { ok: false, problems: e.problems, error: e };
      return { ok: false, problems: [], error: e };
    }
  }, []);

  return { config, configured, error, loading, reload, save, setConfig };
}
