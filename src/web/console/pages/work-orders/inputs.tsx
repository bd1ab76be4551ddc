import { UploadOutlined } from '@ant-design/icons';
import { Button, Select, Upload, type UploadFile } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, queryString } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import type { UnitNode } from '../../../shared/OrgUnitPicker.js';

/**
 * Photos for a step (办结 with photos): each file goes to `POST /api/files` as it is picked, and the
 * form value is the list of file ids the event then names in `photoIds`.
 */
export function PhotoUpload(props: { value?: string[]; onChange?: (ids: string[]) => void; id?: string }) {
  const tr = useT();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const sync = (next: UploadFile[]) => {
    setFiles(next);
    props.onChange?.(next.filter((f) => f.status === 'done' && f.response?.id).map((f) => f.response.id));
  };
  return (
    <Upload
      id={props.id}
      accept="image/*"
      listType="picture"
      multiple
      maxCount={9}
      fileList={files}
      onChange={(info) => sync(info.fileList)}
      customRequest={async ({ file, onSuccess, onError }) => {
        const body = new FormData();
        body.append('file', file as Blob);
        try {
          onSuccess?.(await api<{ id: string }>('/api/files', { method: 'POST', body }));
        } catch (err) {
          onError?.(err as Error);
        }
      }}
    >
      <Button icon={<UploadOutlined />}>{tr('ui.wo.upload')}</Button>
    </Upload>
  );
}

/**
 * The district's departments, for 吹哨. Departments hang under the district, so only staff whose
 * `org.read` reaches the district (or above, by searching) can list them; see the report for the
 * route a community worker would need.
 */
export function DepartmentSelect(props: {
  value?: string[];
  onChange?: (ids: string[]) => void;
  id?: string;
}) {
  const tr = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [q, setQ] = useState('');
  const [loading, setLoading] = useState(true);
  const chosen = useRef<string[]>([]);
  chosen.current = props.value ?? [];
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(async () => {
      setLoading(true);
      try {
        let units: UnitNode[] = [];
        if (q.trim())
          units = (
            await api<{ items: UnitNode[] }>(
              `/api/org-units${queryString({ q: q.trim(), kind: 'department', pageSize: 50 })}`,
            )
          ).items;
        else {
          const roots = (await api<{ items: UnitNode[] }>('/api/org-units')).items;
          for (const r of roots.filter((x) => x.kind === 'district'))
            units.push(
              ...(
                await api<{ items: UnitNode[] }>(
                  `/api/org-units${queryString({ parentId: r.id, kind: 'department' })}`,
                )
              ).items,
            );
        }
        // Keep the labels of departments already chosen when a search no longer lists them.
        if (!cancelled)
          setOptions((prev) => [
            ...prev.filter((o) => chosen.current.includes(o.value) && !units.some((u) => u.id === o.value)),
            ...units.map((u) => ({ value: u.id, label: u.name })),
          ]);
      } catch {
        if (!cancelled) setOptions([]);
      } finally {
        if (!cancelled) setLoading(false);
      }
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [q]);
  return (
    <Select
      id={props.id}
      mode="multiple"
      showSearch
      filterOption={false}
      onSearch={setQ}
      loading={loading}
      options={options}
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      notFoundContent={tr('ui.wo.departmentsNone')}
      style={{ width: '100%' }}
    />
  );
}
