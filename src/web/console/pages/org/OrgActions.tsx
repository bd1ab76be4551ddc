import { DownOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Dropdown,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, validValues } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { JobProgress, type JobView } from '../../../shared/JobProgress.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { useSession } from '../../session.js';

export interface UnitSummary {
  id: string;
  code: string;
  name: string;
  kind: string;
  shortName: string | null;
  subtype: string | null;
}

/** Which managed kinds may be created under each kind (grids and buildings have their own editors). */
const childKinds: Record<string, string[]> = {
  city: ['department', 'organisation'],
  district: ['street', 'department', 'organisation'],
  street: ['community', 'organisation'],
  community: ['organisation'],
};
const movable = ['street', 'community', 'grid', 'building', 'department', 'organisation'];

/** A job in a modal: progress, then what came of it (a download, counts, row errors). */
function JobDialog(props: { title: string; jobId: string; onClose: () => void; onDone?: () => void }) {
  const tr = useT();
  const [job, setJob] = useState<JobView | null>(null);
  const result = job?.result as
    | {
        fileName?: string;
        rows?: number;
        created?: number;
        updated?: number;
        rejected?: number;
        written?: boolean;
        errors?: { row: number; column: string; message: string }[];
      }
    | undefined;
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onClose}
      footer={<Button onClick={props.onClose}>{tr('ui.close')}</Button>}
      width={640}
    >
      <JobProgress
        jobId={props.jobId}
        cancellable
        onDone={(j) => {
          setJob(j);
          if (j.status === 'succeeded') props.onDone?.();
        }}
      />
      {job?.status === 'succeeded' && result?.fileName && (
        <Typography.Paragraph style={{ marginTop: 12 }}>
          <a href={`/api/jobs/${props.jobId}/download`} download={result.fileName} data-testid="job-download">
            {tr('ui.org.download', { name: result.fileName, rows: result.rows ?? 0 })}
          </a>
        </Typography.Paragraph>
      )}
      {job?.status === 'succeeded' && result?.created !== undefined && (
        <Typography.Paragraph style={{ marginTop: 12 }} data-testid="import-result">
          {result.written !== false
            ? tr('ui.org.imported', {
                created: result.created,
                updated: result.updated ?? 0,
                rejected: result.rejected ?? 0,
              })
            : tr('ui.org.importRefused', { rejected: result.rejected ?? 0 })}
        </Typography.Paragraph>
      )}
      {!!result?.errors?.length && (
        <Table
          size="small"
          rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
          dataSource={result.errors}
          pagination={{ pageSize: 8 }}
          columns={[
            { title: tr('ui.org.row'), dataIndex: 'row', width: 70 },
            { title: tr('ui.org.column'), dataIndex: 'column', width: 140 },
            { title: tr('ui.org.problem'), dataIndex: 'message' },
          ]}
        />
      )}
    </Modal>
  );
}

function ImportDialog(props: { onStarted: (jobId: string) => void; onClose: () => void }) {
  const tr = useT();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    setBusy(true);
    try {
      const body = new FormData();
      body.append('file', v.file[0].originFileObj);
      const file = await api<{ id: string }>('/api/files', { method: 'POST', body });
      const { jobId } = await api<{ jobId: string }>('/api/org/imports', {
        method: 'POST',
        json: { fileId: file.id, what: v.what, partial: !!v.partial },
      });
      props.onStarted(jobId);
    } catch (err) {
      if (!applyFieldErrors(form, err)) form.setFields([{ name: 'file', errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={tr('ui.org.import')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={props.onClose}
      okText={tr('ui.org.startImport')}
      cancelText={tr('ui.cancel')}
    >
      <Form form={form} layout="vertical" initialValues={{ what: 'grids', partial: false }}>
        <Form.Item name="what" label={tr('ui.org.importWhat')}>
          <Radio.Group
            options={[
              { value: 'grids', label: tr('ui.org.grids') },
              { value: 'buildings', label: tr('ui.org.buildings') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="file"
          label={tr('ui.org.importFile')}
          valuePropName="fileList"
          getValueFromEvent={(e) => (Array.isArray(e) ? e : e?.fileList)?.slice(-1)}
          rules={[{ required: true, message: tr('ui.org.chooseFile') }]}
          extra={tr('ui.org.importHelp')}
        >
          <Upload beforeUpload={() => false} accept=".xlsx,.geojson,.json" maxCount={1}>
            <Button icon={<UploadOutlined />}>{tr('ui.org.chooseFile')}</Button>
          </Upload>
        </Form.Item>
        <Form.Item name="partial" valuePropName="checked">
          <Checkbox>{tr('ui.org.partial')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function UnitDialog(props: {
  mode: 'create' | 'edit';
  unit: UnitSummary;
  onClose: (changed: boolean) => void;
}) {
  const tr = useT();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const kinds = childKinds[props.unit.kind] ?? [];
  const kind = Form.useWatch('kind', form);
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    setBusy(true);
    try {
      if (props.mode === 'create')
        await api('/api/org-units', {
          method: 'POST',
          json: { ...v, parentId: props.unit.id, code: v.code || undefined },
        });
      else
        await api(`/api/org-units/${props.unit.id}`, {
          method: 'PATCH',
          json: { name: v.name, shortName: v.shortName || null, subtype: v.subtype || null },
        });
      props.onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err)) form.setFields([{ name: 'name', errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={
        props.mode === 'create' ? tr('ui.org.newUnit', { parent: props.unit.name }) : tr('ui.org.editUnit')
      }
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => props.onClose(false)}
      okText={tr('ui.save')}
      cancelText={tr('ui.cancel')}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={props.mode === 'edit' ? props.unit : { kind: kinds[0] }}
      >
        {props.mode === 'create' && (
          <Form.Item name="kind" label={tr('ui.org.unitKind')}>
            <Radio.Group options={kinds.map((k) => ({ value: k, label: tr(`org.kind.${k}`) }))} />
          </Form.Item>
        )}
        {props.mode === 'create' && ['street', 'community'].includes(kind) && (
          <Form.Item
            name="code"
            label={tr('ui.org.divisionCode')}
            extra={tr('ui.org.divisionCodeHelp')}
            rules={[{ required: true }]}
          >
            <Input placeholder={props.unit.code} />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={tr('ui.org.unitName')}
          rules={[{ required: true, message: tr('ui.org.unitNameRequired') }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="shortName" label={tr('ui.org.shortName')}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="subtype" label={tr('ui.org.subtype')}>
          <Input maxLength={20} placeholder={tr('ui.org.subtypeHelp')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MoveDialog(props: { unit: UnitSummary; onClose: (changed: boolean) => void }) {
  const tr = useT();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    setBusy(true);
    try {
      await api(`/api/org-units/${props.unit.id}/move`, { method: 'POST', json: { parentId: v.parentId } });
      props.onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err))
        form.setFields([{ name: 'parentId', errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={tr('ui.org.move', { name: props.unit.name })}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => props.onClose(false)}
      okText={tr('ui.org.moveOk')}
      cancelText={tr('ui.cancel')}
    >
      <Typography.Paragraph type="secondary">{tr('ui.org.moveHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item
          name="parentId"
          label={tr('ui.org.newParent')}
          rules={[{ required: true, message: tr('ui.org.newParent') }]}
        >
          <OrgUnitPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The unit page's toolbar: export, import, new child, edit, move, retire — each shown only to who may. */
export function UnitActions(props: { unit: UnitSummary; onChanged: (deleted?: boolean) => void }) {
  const tr = useT();
  const { can } = useSession();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [job, setJob] = useState<{ id: string; title: string } | null>(null);
  const [dialog, setDialog] = useState<'import' | 'create' | 'edit' | 'move' | null>(null);
  const u = props.unit;
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['org-unit'] });
    qc.invalidateQueries({ queryKey: ['org-roots'] });
    props.onChanged();
  };
  const startExport = async (key: string) => {
    const [what, format] = key.split('.');
    const { jobId } = await api<{ jobId: string }>('/api/org/exports', {
      method: 'POST',
      json: { what, format, orgUnitId: u.id },
    });
    setJob({ id: jobId, title: tr('ui.org.export') });
  };
  const retire = async () => {
    try {
      await api(`/api/org-units/${u.id}`, { method: 'DELETE' });
      message.success(tr('ui.org.retired', { name: u.name }));
      props.onChanged(true);
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  const managed = ['street', 'community', 'department', 'organisation'].includes(u.kind);
  return (
    <Space wrap>
      <Dropdown
        menu={{
          onClick: (e) => startExport(e.key),
          items: [
            { key: 'grids.xlsx', label: tr('ui.org.exportGridsXlsx') },
            { key: 'grids.geojson', label: tr('ui.org.exportGridsGeojson') },
            { key: 'buildings.xlsx', label: tr('ui.org.exportBuildingsXlsx') },
            { key: 'buildings.geojson', label: tr('ui.org.exportBuildingsGeojson') },
          ],
        }}
      >
        <Button>
          {tr('ui.org.export')} <DownOutlined />
        </Button>
      </Dropdown>
      {can('org.write') && (
        <>
          <Button onClick={() => setDialog('import')}>{tr('ui.org.import')}</Button>
          {(childKinds[u.kind] ?? []).length > 0 && (
            <Button onClick={() => setDialog('create')}>{tr('ui.org.addChild')}</Button>
          )}
          {managed && <Button onClick={() => setDialog('edit')}>{tr('ui.org.editUnit')}</Button>}
          {movable.includes(u.kind) && (
            <Button onClick={() => setDialog('move')}>{tr('ui.org.moveButton')}</Button>
          )}
          {managed && (
            <Popconfirm title={tr('ui.org.retireConfirm', { name: u.name })} onConfirm={retire}>
              <Button danger>{tr('ui.org.retire')}</Button>
            </Popconfirm>
          )}
        </>
      )}
      {dialog === 'import' && (
        <ImportDialog
          onClose={() => setDialog(null)}
          onStarted={(id) => {
            setDialog(null);
            setJob({ id, title: tr('ui.org.import') });
          }}
        />
      )}
      {(dialog === 'create' || dialog === 'edit') && (
        <UnitDialog
          mode={dialog}
          unit={u}
          onClose={(changed) => {
            setDialog(null);
            if (changed) refresh();
          }}
        />
      )}
      {dialog === 'move' && (
        <MoveDialog
          unit={u}
          onClose={(changed) => {
            setDialog(null);
            if (changed) refresh();
          }}
        />
      )}
      {job && <JobDialog title={job.title} jobId={job.id} onClose={() => setJob(null)} onDone={refresh} />}
    </Space>
  );
}

/** 导入行政区划: a province (and optionally a city or district of it) from GB/T 2260, as a job. */
export function DivisionImportButton() {
  const tr = useT();
  const { can } = useSession();
  const [form] = Form.useForm();
  const [open, setOpen] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const qc = useQueryClient();
  if (!can('org.import')) return null;
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    try {
      const r = await api<{ jobId: string }>('/api/org/division-imports', {
        method: 'POST',
        json: { province: v.province, scope: v.scope || undefined },
      });
      setOpen(false);
      setJobId(r.jobId);
    } catch (err) {
      if (!applyFieldErrors(form, err))
        form.setFields([{ name: 'province', errors: [(err as Error).message] }]);
    }
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {tr('ui.org.importDivisions')}
      </Button>
      <Modal
        open={open}
        title={tr('ui.org.importDivisions')}
        onOk={submit}
        onCancel={() => setOpen(false)}
        okText={tr('ui.org.startImport')}
        cancelText={tr('ui.cancel')}
      >
        <Typography.Paragraph type="secondary">{tr('ui.org.importDivisionsHelp')}</Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={{ province: '15' }}>
          <Form.Item name="province" label={tr('ui.org.province')} rules={[{ required: true }]}>
            <Input maxLength={2} />
          </Form.Item>
          <Form.Item name="scope" label={tr('ui.org.scope')}>
            <Input maxLength={12} placeholder="1506 / 150602" />
          </Form.Item>
        </Form>
      </Modal>
      {jobId && (
        <JobDialog
          title={tr('ui.org.importDivisions')}
          jobId={jobId}
          onClose={() => setJobId(null)}
          onDone={() => qc.invalidateQueries({ queryKey: ['org-roots'] })}
        />
      )}
    </>
  );
}
