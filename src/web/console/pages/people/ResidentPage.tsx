import { EyeOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { shanghaiToday } from '../../../../modules/people/validators.js';
import { api, applyFieldErrors, validValues } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { useSession } from '../../session.js';
import { ethnicityName, type ResidentRow, tagKeys } from './common.js';
import { HouseholdCard } from './HouseholdCard.js';
import { ResidentForm } from './ResidentForm.js';

interface Detail extends ResidentRow {
  events: { id: string; kind: string; occurredOn: string; note: string | null }[];
}
interface Visit {
  id: string;
  visitorName: string;
  visitedAt: string;
  notes: string;
  photos: { id: string; thumbnailUrl: string; url: string }[];
  tagsAdded: string[];
  tagsRemoved: string[];
}

/** "Show full": asks for a reason; the server checks the permission and audits the look. */
function Reveal({ id }: { id: string }) {
  const tr = useT();
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<{ idNumber: string; phone: string | null } | null>(null);
  const [form] = Form.useForm();
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    try {
      setShown(await api(`/api/residents/${id}/reveal`, { method: 'POST', json: { reason: v.reason } }));
      setOpen(false);
    } catch (err) {
      if (!applyFieldErrors(form, err))
        form.setFields([{ name: 'reason', errors: [(err as Error).message] }]);
    }
  };
  if (shown)
    return (
      <Typography.Text copyable data-testid="revealed">
        {shown.idNumber}
        {shown.phone ? ` · ${shown.phone}` : ''}
      </Typography.Text>
    );
  return (
    <>
      <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(true)}>
        {tr('ui.people.reveal')}
      </Button>
      <Modal open={open} title={tr('ui.people.reveal')} onOk={submit} onCancel={() => setOpen(false)}>
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={tr('ui.people.revealReason')}
            extra={tr('ui.people.revealAudited')}
            rules={[{ required: true, min: 2, message: tr('ui.people.revealReasonRequired') }]}
          >
            <Input.TextArea rows={2} maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function VisitForm({ id, onDone }: { id: string; onDone: () => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { busy, submit } = useFormSubmit(
    form,
    (v: { notes: string; tagsAdded?: string[]; tagsRemoved?: string[] }) =>
      api(`/api/residents/${id}/visits`, {
        method: 'POST',
        json: { notes: v.notes, tagsAdded: v.tagsAdded ?? [], tagsRemoved: v.tagsRemoved ?? [] },
      }),
    () => {
      form.resetFields();
      message.success(tr('ui.people.saved'));
      onDone();
    },
    'notes',
  );
  const options = tagKeys.map((k) => ({ value: k, label: tr(`people.tag.${k}`) }));
  return (
    <Form form={form} layout="vertical">
      <Form.Item
        name="notes"
        label={tr('ui.people.visitNotes')}
        rules={[{ required: true, whitespace: true, message: tr('ui.people.visitNotesRequired') }]}
      >
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="tagsAdded" label={tr('ui.people.visitTagsAdded')}>
          <Select
            mode="multiple"
            style={{ minWidth: 200 }}
            options={options}
            placeholder={tr('ui.people.visitTagsHint')}
          />
        </Form.Item>
        <Form.Item name="tagsRemoved" label={tr('ui.people.visitTagsRemoved')}>
          <Select
            mode="multiple"
            style={{ minWidth: 200 }}
            options={options}
            placeholder={tr('ui.people.visitTagsHint')}
          />
        </Form.Item>
      </Space>
      <Button type="primary" loading={busy} onClick={submit}>
        {tr('ui.people.newVisit')}
      </Button>
    </Form>
  );
}

/**
 * Records a move out, a death or a move back in, with its date. Someone who moved out or died
 * leaves the active lists (the list filter is `status=active`) but keeps this page and history.
 */
function LifeEventForm({ r, onDone }: { r: Detail; onDone: () => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const kinds = r.status === 'active' ? ['moveOut', 'death'] : ['moveIn', 'death'];
  const { busy, submit } = useFormSubmit(
    form,
    (v: { kind: string; date: string; note?: string }) =>
      api(`/api/residents/${r.id}/events`, {
        method: 'POST',
        json: { kind: v.kind, date: v.date, note: v.note?.trim() || null },
      }),
    () => {
      form.resetFields();
      message.success(tr('ui.people.saved'));
      onDone();
    },
    'date',
  );
  return (
    <Form form={form} layout="inline" data-testid="life-event-form" style={{ marginBottom: 12, rowGap: 8 }}>
      <Form.Item
        name="kind"
        label={tr('ui.people.eventKind')}
        rules={[{ required: true, message: tr('ui.people.eventKindRequired') }]}
      >
        <Select
          style={{ width: 120 }}
          data-testid="event-kind"
          options={kinds.map((k) => ({ value: k, label: tr(`people.event.${k}`) }))}
        />
      </Form.Item>
      <Form.Item
        name="date"
        label={tr('ui.people.eventDate')}
        rules={[
          { required: true, message: tr('ui.people.eventDateRequired') },
          {
            validator: async (_, value?: string) => {
              if (value && value > shanghaiToday()) throw new Error(tr('ui.people.eventDateFuture'));
              if (value && value < r.birthDate) throw new Error(tr('ui.people.eventDateBeforeBirth'));
            },
          },
        ]}
      >
        <Input type="date" max={shanghaiToday()} data-testid="event-date" />
      </Form.Item>
      <Form.Item name="note" label={tr('ui.people.eventNote')}>
        <Input maxLength={200} style={{ width: 220 }} />
      </Form.Item>
      <Button type="primary" loading={busy} onClick={submit} data-testid="event-submit">
        {tr('ui.people.recordEvent')}
      </Button>
    </Form>
  );
}

/** A person's page: facts (masked), household and house, tags, life events, visits. */
export default function ResidentPage() {
  const tr = useT();
  const { id } = useParams();
  const { can } = useSession();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const person = useQuery({ queryKey: ['resident', id], queryFn: () => api<Detail>(`/api/residents/${id}`) });
  const r = person.data;
  const visits = useQuery({
    queryKey: ['visits', id],
    queryFn: () => api<{ items: Visit[] }>(`/api/residents/${id}/visits`),
  });
  if (person.error) return <Alert type="error" showIcon title={person.error.message} />;
  if (!r) return <Spin />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="resident-page">
      <Link to="/people">← {tr('ui.people.backToList')}</Link>
      <Card
        title={
          <Space>
            {r.name}
            <Tag>{tr(`people.status.${r.status}`)}</Tag>
          </Space>
        }
        extra={
          can('resident.write') && (
            <Button onClick={() => setEditing(true)} data-testid="edit-resident">
              {tr('ui.people.edit')}
            </Button>
          )
        }
      >
        <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
          <Descriptions.Item label={tr('ui.people.idNumber')}>
            <Space wrap>
              {r.idNumber}
              {can('resident.readPII') && <Reveal id={r.id} />}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={tr('ui.people.phone')}>{r.phone ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={tr('ui.people.gender')}>
            {tr(`people.gender.${r.gender}`)}
          </Descriptions.Item>
          <Descriptions.Item label={tr('ui.people.birthDate')}>
            {r.birthDate}（{r.age}）
          </Descriptions.Item>
          <Descriptions.Item label={tr('ui.people.ethnicity')}>
            {ethnicityName(r.ethnicity)}
          </Descriptions.Item>
          <Descriptions.Item label={tr('ui.people.residenceStatus')}>
            {tr(`people.residence.${r.residenceStatus}`)}
          </Descriptions.Item>
          <Descriptions.Item label={tr('ui.people.house')}>{r.address ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={tr('ui.people.employer')}>{r.employer ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={tr('ui.people.tags')}>
            {r.careGroups.map((c) => (
              <Tag key={c} color="gold">
                {tr(`people.care.${c}`)}
              </Tag>
            ))}
            {r.tags.map((t) => (
              <Tag key={t}>{tr(`people.tag.${t}`)}</Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <HouseholdCard householdId={r.householdId} onChanged={() => person.refetch()} />
      <Card size="small" title={tr('ui.people.events')}>
        {can('resident.write') && r.status !== 'deceased' && (
          <LifeEventForm
            r={r}
            onDone={() => {
              person.refetch();
              qc.invalidateQueries({ queryKey: ['/api/residents'] });
            }}
          />
        )}
        <Timeline
          items={r.events.map((e) => ({
            content: `${e.occurredOn} ${tr(`people.event.${e.kind}`)}${e.note ? `：${e.note}` : ''}`,
          }))}
        />
      </Card>
      <Card size="small" title={tr('ui.people.visits')}>
        {can('resident.write') && (
          <VisitForm
            id={r.id}
            onDone={() => {
              visits.refetch();
              qc.invalidateQueries({ queryKey: ['resident', id] });
            }}
          />
        )}
        <List
          dataSource={visits.data?.items ?? []}
          renderItem={(v) => (
            <List.Item>
              <List.Item.Meta
                title={`${new Date(v.visitedAt).toLocaleString()} · ${v.visitorName}`}
                description={
                  <Space orientation="vertical">
                    <span>{v.notes}</span>
                    <Space wrap>
                      {v.tagsAdded.map((t) => (
                        <Tag key={`+${t}`} color="green">
                          +{tr(`people.tag.${t}`)}
                        </Tag>
                      ))}
                      {v.tagsRemoved.map((t) => (
                        <Tag key={`-${t}`}>−{tr(`people.tag.${t}`)}</Tag>
                      ))}
                      {v.photos.map((p) => (
                        <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
                          <img src={p.thumbnailUrl} alt="" height={48} />
                        </a>
                      ))}
                    </Space>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      {editing && (
        <ResidentForm
          resident={r}
          onClose={(saved) => {
            setEditing(false);
            if (saved) person.refetch();
          }}
        />
      )}
    </Space>
  );
}
