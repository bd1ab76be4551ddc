import { UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Select, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';

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
 * The departments a work order may be whistled to — those of its district, from
 * `GET /api/work-orders/:id/departments`, which anyone who may act on the order can read (a
 * community worker cannot list the district's units otherwise). Searched by name in the browser.
 */
export function DepartmentSelect(props: {
  workOrderId: string;
  value?: string[];
  onChange?: (ids: string[]) => void;
  id?: string;
}) {
  const tr = useT();
  const departments = useQuery({
    queryKey: ['work-order-departments', props.workOrderId],
    queryFn: () => api<{ id: string; name: string }[]>(`/api/work-orders/${props.workOrderId}/departments`),
  });
  return (
    <Select
      id={props.id}
      mode="multiple"
      showSearch
      optionFilterProp="label"
      loading={departments.isLoading}
      options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      notFoundContent={tr('ui.wo.departmentsNone')}
      style={{ width: '100%' }}
    />
  );
}
