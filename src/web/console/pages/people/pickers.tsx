import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { headRelation, relations } from '../../../../modules/people/codes.js';
import { api, queryString } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';

/** A relation to the head by its GB/T 4761 name (the code when unknown). */
export const relationName = (code: string) => relations[code] ?? code;
/** The relations to choose from, `02 户主` only where a head may be chosen. */
export const relationOptions = (withHead: boolean) =>
  Object.entries(relations)
    .filter(([code]) => withHead || code !== headRelation)
    .map(([value, name]) => ({ value, label: `${value} ${name}` }));

interface Option {
  value: string;
  label: string;
}

/**
 * A select that searches the server as one types (300 ms after the last key), for lists far too
 * long to load: a district's houses or residents. Keeps the chosen option's label while the list
 * of hits changes.
 */
function RemoteSelect(props: {
  value?: string;
  onChange?: (id: string | undefined) => void;
  search: (q: string) => Promise<Option[]>;
  placeholder: string;
  id?: string;
  'data-testid'?: string;
}) {
  const tr = useT();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [picked, setPicked] = useState<Option | null>(null);
  const [loading, setLoading] = useState(false);
  const { search } = props;
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      setLoading(true);
      search(q.trim())
        .then((found) => live && setOptions(found))
        .catch(() => live && setOptions([]))
        .finally(() => live && setLoading(false));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, search]);
  const shown = picked && !options.some((o) => o.value === picked.value) ? [picked, ...options] : options;
  return (
    <Select
      id={props.id}
      data-testid={props['data-testid']}
      showSearch
      allowClear
      filterOption={false}
      value={props.value}
      placeholder={props.placeholder}
      options={shown}
      loading={loading}
      notFoundContent={loading ? tr('ui.people.searching') : tr('ui.people.noMatch')}
      onSearch={setQ}
      onChange={(v: string | undefined) => {
        setPicked(options.find((o) => o.value === v) ?? null);
        props.onChange?.(v);
      }}
    />
  );
}

const searchHouses = async (q: string) =>
  (
    await api<{ items: { id: string; address: string }[] }>(
      `/api/houses${queryString({ q: q || undefined, pageSize: 20, sort: 'address' })}`,
    )
  ).items.map((h) => ({ value: h.id, label: h.address }));

const searchResidents = async (q: string) =>
  (
    await api<{
      items: { id: string; name: string; idNumber: string; age: number; address: string | null }[];
    }>(`/api/residents${queryString({ q: q || undefined, pageSize: 20 })}`)
  ).items.map((r) => ({
    value: r.id,
    label: `${r.name}（${r.age} 岁，${r.idNumber}）${r.address ? ` · ${r.address}` : ''}`,
  }));

type PickerProps = { value?: string; onChange?: (id: string | undefined) => void; id?: string };

/** A picker of one list: its search, the hint it shows empty, and its test id. */
const picker =
  (search: (q: string) => Promise<Option[]>, placeholderKey: string, testId: string) =>
  (props: PickerProps) => {
    const tr = useT();
    return <RemoteSelect {...props} search={search} placeholder={tr(placeholderKey)} data-testid={testId} />;
  };

/** A house of the caller's area, found by a part of its address. */
export const HousePicker = picker(searchHouses, 'ui.people.pickHouse', 'house-picker');

/** A resident of the caller's area, found by name or pinyin initials (ID number shown masked). */
export const ResidentPicker = picker(searchResidents, 'ui.people.pickResident', 'resident-picker');

/** 户籍户 or 非户籍户. */
export function RegistrationSelect(props: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const tr = useT();
  return (
    <Select
      {...props}
      options={['registered', 'unregistered'].map((k) => ({
        value: k,
        label: tr(`people.registration.${k}`),
      }))}
    />
  );
}
