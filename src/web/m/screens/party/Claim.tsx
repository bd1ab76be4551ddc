import { useState } from 'react';
import { addLocalMonths, localMonth } from '../../../../platform/calendar/local-time.js';
import { api } from '../../api.js';
import { useSubmit } from '../../forms.js';
import { type MobileKey, useT } from '../../i18n.js';
import { Field, Header, useToast } from '../../ui.js';
import { type CatalogItem, useLoad } from './common.js';

/** 申报: the member claims points for something they did; the recorder confirms or refuses it. */
export default function Claim({ back }: { back: () => void }) {
  const tr = useT();
  const catalog = useLoad<{ version: number; items: CatalogItem[] }>('/api/party/me/catalog');
  const thisMonth = localMonth(new Date());
  const months = [0, -1, -2].map((n) => addLocalMonths(thisMonth, n));
  const [itemId, setItemId] = useState('');
  const [month, setMonth] = useState(thisMonth);
  const [note, setNote] = useState('');
  const [toast, show] = useToast();
  const { onSubmit, error, busy } = useSubmit(async () => {
    await api('/api/party/me/claims', { json: { itemId, month, note } });
    setNote('');
    setItemId('');
    show(tr('m.party.claimSent'));
  });
  return (
    <div>
      <Header title={tr('m.party.claim')} back={back} />
      {catalog.error && <p className="error pad">{catalog.error}</p>}
      <form className="card" onSubmit={onSubmit} aria-label={tr('m.party.claim')}>
        <Field label={tr('m.party.claimItem')}>
          <select value={itemId} onChange={(e) => setItemId(e.target.value)} required>
            <option value="">{tr('m.record.pick')}</option>
            {catalog.data?.items
              .filter((i) => i.points > 0)
              .map((i) => (
                <option key={i.id} value={i.id}>
                  {tr('m.party.itemOption', {
                    category: tr(`m.party.category.${i.category}` as MobileKey),
                    name: i.name,
                    points: i.points,
                  })}
                </option>
              ))}
          </select>
        </Field>
        <Field label={tr('m.party.claimMonth')}>
          <select value={month} onChange={(e) => setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </Field>
        <Field label={tr('m.party.claimNote')} hint={tr('m.party.claimNoteHint')} error={error}>
          <textarea value={note} maxLength={200} rows={3} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <button
          type="submit"
          className="btn primary block"
          disabled={busy || !itemId || note.trim().length < 2}
        >
          {tr('m.party.claimSend')}
        </button>
      </form>
      {toast}
    </div>
  );
}
