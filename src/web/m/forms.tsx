import { useState } from 'react';
import { ApiError } from './api.js';
import { Field } from './ui.js';

/**
 * A form's submit: the server's refusal or a check of the form's own (e.g. two passwords that differ)
 * becomes the form's error; busy while the request runs, so the button cannot send it twice.
 */
export function useSubmit(work: () => Promise<void>, check?: () => string | null) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const problem = check?.() ?? null;
    if (problem) return setError(problem);
    setBusy(true);
    try {
      await work();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { onSubmit, error, setError, busy };
}

/** What a whole form was refused for, above its buttons. */
export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}

export function PasswordField({
  label,
  value,
  onChange,
  autoComplete,
  hint,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  hint?: string;
}) {
  return (
    <Field label={label} hint={hint}>
      <input
        type="password"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete={autoComplete}
        required
      />
    </Field>
  );
}
