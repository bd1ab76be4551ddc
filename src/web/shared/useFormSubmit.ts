import { App, type FormInstance } from 'antd';
import { useState } from 'react';
import { applyFieldErrors, formFieldErrors, validValues } from './api.js';

/**
 * A form's send, as every editor does it: stop on invalid fields (they show why), send, hand the
 * answer on; a 400 lands under the fields it names, anything else under `fallback` (the field the
 * user would look at first) or, when the form shows no such field, in a message. `busy` is true
 * while sending.
 */
export function useFormSubmit<V, R>(
  form: FormInstance,
  send: (values: V) => Promise<R>,
  onSent: (result: R) => void,
  fallback: string,
) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = (await validValues(form)) as V | null;
    if (!v) return;
    setBusy(true);
    try {
      onSent(await send(v));
    } catch (err) {
      if (!applyFieldErrors(form, err)) {
        const first = formFieldErrors(err)[0]?.errors[0] ?? (err as Error).message;
        if (fallback in form.getFieldsValue()) form.setFields([{ name: fallback, errors: [first] }]);
        else message.error(first);
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, submit };
}
