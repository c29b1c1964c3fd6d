import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallInput, CallName, CallOutput } from '../../../shared/contract';
import { api } from '../store/engine';

export interface CallState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (d: T | null) => void;
}

/** Runs a read call when the component mounts (or `key` changes) and keeps its result. */
export function useCall<N extends CallName>(name: N, input?: CallInput<N>, opts: { key?: string; skip?: boolean } = {}): CallState<CallOutput<N>> {
  const [data, setData] = useState<CallOutput<N> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(!opts.skip);
  const inputRef = useRef(input);
  inputRef.current = input;
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const my = ++seq.current;
    setLoading(true);
    try {
      const r = await api.call(name, inputRef.current);
      if (my === seq.current) {
        setData(r);
        setError(null);
      }
    } catch (e) {
      if (my === seq.current) setError(e);
    } finally {
      if (my === seq.current) setLoading(false);
    }
  }, [name]);

  useEffect(() => {
    if (opts.skip) return;
    void reload();
  }, [reload, opts.key, opts.skip]);

  return { data, error, loading, reload, setData };
}

/** A button-triggered call: tracks busy state and the last error or result. */
export function useAction<N extends CallName>(name: N) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<CallOutput<N> | null>(null);
  const run = useCallback(
    async (input?: CallInput<N>): Promise<CallOutput<N> | null> => {
      setBusy(true);
      setError(null);
      try {
        const r = await api.call(name, input);
        setResult(r);
        return r;
      } catch (e) {
        setError(e);
        return null;
      } finally {
        setBusy(false);
      }
    },
    [name],
  );
  return { run, busy, error, result, setResult, clearError: () => setError(null) };
}

export function downloadText(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
