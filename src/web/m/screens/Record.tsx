import { useState } from 'react';
import { addLocalMonths, localMonth } from '../../../platform/calendar/local-time.js';
import { api } from '../api.js';
import { useSubmit } from '../forms.js';
import { type MobileKey, useT } from '../i18n.js';
import { Field, Header, useToast } from '../ui.js';
import { type CatalogItem, useLoad } from './party/common.js';
import { Claims } from './RecordClaims.js';

interface Org {
  id: string;
  kind: string;
  name: string;
}

interface Sheet {
  quarterStatus: string;
  catalog: { items: CatalogItem[] };
  members: { id: string; name: string }[];
}

/** 记分 (the branch's recorder on the phone): one entry for one member, and the claims waiting. */
export default function Record() {
  const tr = useT();
  const orgs = useLoad<Org[]>('/api/party/orgs');
  const branches = orgs.data?.filter((o) => o.kind !== 'group') ?? [];
  const [orgId, setOrgId] = useState('');
  const org = orgId || branches.find((o) => o.kind === 'branch')?.id || branches[0]?.id || '';
  const thisMonth = localMonth(new Date());
  const [month, setMonth] = useState(thisMonth);
  const sheet = useLoad<Sheet>(org ? `/api/party/orgs/${org}/sheet?month=${month}` : null);
  const [memberId, setMemberId] = useState('');
  const [itemId, setItemId] = useState('');
  const [points, setPoints] = useState('');
  const [note, setNote] = useState('');
  const [toast, show] = useToast();
  const item = sheet.data?.catalog.items.find((i) => i.id === itemId);
  const member = sheet.data?.members.find((m) => m.id === memberId);
  const { onSubmit, error, busy } = useSubmit(async () => {
    if (!item || !member) return;
    const value = points.trim() ? Number(points) : item.points;
    await api('/api/party/entries', {
      json: { partyOrgId: org, memberId, itemId, month, points: value, note: note.trim() || null },
    });
    show(tr('m.record.sent', { name: member.name, item: item.name, points: value }));
    setPoints('');
    setNote('');
    setItemId('');
  });
  return (
    <div>
      <Header title={tr('m.record.title')} />
      {orgs.error && <p className="error pad">{orgs.error}</p>}
      {orgs.data && !branches.length && <p className="muted pad">{tr('m.record.noOrgs')}</p>}
      {org && (
        <form className="card" onSubmit={onSubmit} aria-label={tr('m.record.title')}>
          <Field label={tr('m.record.branch')}>
            <select value={org} onChange={(e) => setOrgId(e.target.value)}>
              {branches.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={tr('m.record.month')}>
            <select value={month} onChange={(e) => setMonth(e.target.value)}>
              {[0, -1, -2]
                .map((n) => addLocalMonths(thisMonth, n))
                .map((m) => (
                  <option key={m}>{m}</option>
                ))}
            </select>
          </Field>
          {sheet.error && <p className="error">{sheet.error}</p>}
          {sheet.data?.quarterStatus && sheet.data.quarterStatus !== 'open' && (
            <p className="warn">{tr('m.record.closed')}</p>
          )}
          <Field label={tr('m.record.member')}>
            <select value={memberId} onChange={(e) => setMemberId(e.target.value)} required>
              <option value="">{tr('m.record.pick')}</option>
              {sheet.data?.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={tr('m.record.item')}>
            <select value={itemId} onChange={(e) => setItemId(e.target.value)} required>
              <option value="">{tr('m.record.pick')}</option>
              {sheet.data?.catalog.items.map((i) => (
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
          <Field label={tr('m.record.points')} hint={tr('m.record.pointsHint')}>
            <input
              inputMode="numeric"
              value={points}
              placeholder={item ? String(item.points) : ''}
              onChange={(e) => setPoints(e.target.value.replace(/[^\d-]/g, ''))}
            />
          </Field>
          <Field label={tr('m.record.note')} error={error}>
            <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <button
            type="submit"
            className="btn primary block"
            disabled={busy || !item || !member || sheet.data?.quarterStatus !== 'open'}
          >
            {tr('m.record.send')}
          </button>
        </form>
      )}
      {org && <Claims orgId={org} />}
      {toast}
    </div>
  );
}
