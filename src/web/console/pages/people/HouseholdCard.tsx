import { useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { headRelation } from '../../../../modules/people/codes.js';
import { shanghaiToday } from '../../../../modules/people/validators.js';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { useSession } from '../../session.js';
import { SaveModal, useRequired } from './common.js';
import { HousePicker, RegistrationSelect, ResidentPicker, relationName, relationOptions } from './pickers.js';

interface Member {
  residentId: string;
  name: string;
  age: number;
  relation: string;
}
interface Household {
  id: string;
  address: string | null;
  registrationType: string;
  headResidentId: string | null;
  members: Member[];
  moves: { movedOn: string; fromAddress: string | null; toAddress: string }[];
}

/**
 * What the household card changes, one form in a modal each: a member becomes head (户主变更,
 * asking what the former head becomes), a member's relation, a new member, the whole household's
 * move to another house (kept in its history), its registration type.
 */
type Change = { kind: 'head' | 'relation'; member: Member } | { kind: 'add' | 'move' | 'registration' };

function ChangeModal({
  household,
  change,
  onClose,
}: {
  household: Household;
  change: Change;
  onClose: (saved: boolean) => void;
}) {
  const tr = useT();
  const [form] = Form.useForm();
  const formerHead = household.members.find((m) => m.relation === headRelation);
  const base = `/api/households/${household.id}`;
  const send = (v: Record<string, any>) => {
    switch (change.kind) {
      case 'head':
        return api(`${base}/head`, {
          method: 'POST',
          json: { residentId: change.member.residentId, formerHeadRelation: v.formerHeadRelation },
        });
      case 'relation':
        return api(`${base}/members/${change.member.residentId}`, {
          method: 'PATCH',
          json: { relation: v.relation },
        });
      case 'add':
        return api(`${base}/members`, {
          method: 'POST',
          json: { residentId: v.residentId, relation: v.relation },
        });
      case 'move':
        return api(`${base}/move`, {
          method: 'POST',
          json: { houseId: v.houseId, date: v.date },
        });
      case 'registration':
        return api(base, { method: 'PATCH', json: { registrationType: v.registrationType } });
    }
  };
  const required = useRequired();
  const firstField = {
    head: 'formerHeadRelation',
    relation: 'relation',
    add: 'residentId',
    move: 'houseId',
    registration: 'registrationType',
  }[change.kind];
  const { busy, submit } = useFormSubmit(form, send, () => onClose(true), firstField);
  const titles = {
    head: 'ui.people.makeHead',
    relation: 'ui.people.changeRelation',
    add: 'ui.people.addMember',
    move: 'ui.people.moveHousehold',
    registration: 'ui.people.changeRegistration',
  };
  const member = 'member' in change ? change.member : null;
  return (
    <SaveModal
      title={`${tr(titles[change.kind])}${member ? `：${member.name}` : ''}`}
      busy={busy}
      onSave={submit}
      onCancel={() => onClose(false)}
    >
      <Form
        form={form}
        layout="vertical"
        name="householdChange"
        data-testid="household-change-form"
        initialValues={
          change.kind === 'relation'
            ? { relation: change.member.relation }
            : change.kind === 'registration'
              ? { registrationType: household.registrationType }
              : {}
        }
      >
        {change.kind === 'head' && formerHead && (
          <Form.Item
            name="formerHeadRelation"
            label={tr('ui.people.formerHeadRelation', { name: formerHead.name })}
            rules={[{ required: true, message: tr('ui.people.formerHeadRelationRequired') }]}
          >
            <Select showSearch optionFilterProp="label" options={relationOptions(false)} />
          </Form.Item>
        )}
        {change.kind === 'head' && !formerHead && (
          <Typography.Text>{tr('ui.people.noFormerHead')}</Typography.Text>
        )}
        {change.kind === 'add' && (
          <Form.Item
            name="residentId"
            label={tr('ui.people.resident')}
            rules={[required('ui.people.resident')]}
          >
            <ResidentPicker />
          </Form.Item>
        )}
        {(change.kind === 'relation' || change.kind === 'add') && (
          <Form.Item
            name="relation"
            label={tr('ui.people.relation')}
            rules={[{ required: true, message: tr('ui.people.relationRequired') }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={relationOptions(change.kind === 'add' && !formerHead)}
            />
          </Form.Item>
        )}
        {change.kind === 'move' && (
          <>
            <Form.Item name="houseId" label={tr('ui.people.moveTo')} rules={[required('ui.people.moveTo')]}>
              <HousePicker />
            </Form.Item>
            <Form.Item
              name="date"
              label={tr('ui.people.eventDate')}
              rules={[required('ui.people.eventDate')]}
            >
              <Input type="date" max={shanghaiToday()} />
            </Form.Item>
          </>
        )}
        {change.kind === 'registration' && (
          <Form.Item name="registrationType" label={tr('ui.people.registrationType')}>
            <RegistrationSelect />
          </Form.Item>
        )}
      </Form>
    </SaveModal>
  );
}

/** A person's household: its members with their relation by name, and (for writers) 户主变更 and edits. */
export function HouseholdCard({
  householdId,
  onChanged,
}: {
  householdId: string | null;
  onChanged: () => void;
}) {
  const tr = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const [change, setChange] = useState<Change | null>(null);
  const household = useQuery({
    queryKey: ['household', householdId],
    enabled: !!householdId,
    queryFn: () => api<Household>(`/api/households/${householdId}`),
  });
  const hh = household.data;
  const saved = () => {
    message.success(tr('ui.people.saved'));
    household.refetch();
    onChanged();
  };
  const remove = async (m: Member) => {
    try {
      await api(`/api/households/${householdId}/members/${m.residentId}`, { method: 'DELETE' });
      saved();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  const writable = can('resident.write');
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          {tr('ui.people.household')}
          {hh && <Typography.Text type="secondary">{hh.address}</Typography.Text>}
          {hh && <Tag>{tr(`people.registration.${hh.registrationType}`)}</Tag>}
        </Space>
      }
      extra={
        writable &&
        hh && (
          <Space size={0} wrap>
            <Button
              type="link"
              size="small"
              onClick={() => setChange({ kind: 'add' })}
              data-testid="add-member"
            >
              {tr('ui.people.addMember')}
            </Button>
            <Button
              type="link"
              size="small"
              onClick={() => setChange({ kind: 'move' })}
              data-testid="move-household"
            >
              {tr('ui.people.moveHousehold')}
            </Button>
            <Button type="link" size="small" onClick={() => setChange({ kind: 'registration' })}>
              {tr('ui.people.changeRegistration')}
            </Button>
          </Space>
        )
      }
    >
      {!householdId ? (
        <Typography.Text type="secondary">{tr('ui.people.noHousehold')}</Typography.Text>
      ) : (
        <Table
          size="small"
          rowKey="residentId"
          pagination={false}
          loading={household.isLoading}
          dataSource={hh?.members ?? []}
          data-testid="household-members"
          columns={[
            {
              title: tr('ui.people.name'),
              dataIndex: 'name',
              render: (n, m) => <Link to={`/people/residents/${m.residentId}`}>{n}</Link>,
            },
            { title: tr('ui.people.age'), dataIndex: 'age' },
            {
              title: tr('ui.people.relation'),
              dataIndex: 'relation',
              render: (code: string) =>
                code === headRelation ? <Tag color="blue">{relationName(code)}</Tag> : relationName(code),
            },
            ...(writable
              ? [
                  {
                    title: tr('ui.actions'),
                    key: 'actions',
                    render: (_: unknown, m: Member) => (
                      <Space size={0} wrap>
                        {m.relation !== headRelation && (
                          <>
                            <Button
                              type="link"
                              size="small"
                              onClick={() => setChange({ kind: 'head', member: m })}
                            >
                              {tr('ui.people.makeHead')}
                            </Button>
                            <Button
                              type="link"
                              size="small"
                              onClick={() => setChange({ kind: 'relation', member: m })}
                            >
                              {tr('ui.people.changeRelation')}
                            </Button>
                          </>
                        )}
                        <Popconfirm
                          title={tr('ui.people.removeMemberConfirm', { name: m.name })}
                          okText={tr('ui.people.removeMember')}
                          cancelText={tr('ui.cancel')}
                          onConfirm={() => remove(m)}
                        >
                          <Button type="link" size="small" danger>
                            {tr('ui.people.removeMember')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {hh && hh.moves.length > 0 && (
        <Timeline
          style={{ marginTop: 16, marginBottom: 0 }}
          data-testid="household-moves"
          items={hh.moves.map((m) => ({
            content: m.fromAddress
              ? `${m.movedOn} ${tr('ui.people.movedFrom', { from: m.fromAddress, to: m.toAddress })}`
              : `${m.movedOn} ${tr('ui.people.householdFormed', { at: m.toAddress })}`,
          }))}
        />
      )}
      {hh && change && (
        <ChangeModal
          household={hh}
          change={change}
          onClose={(ok) => {
            setChange(null);
            if (ok) saved();
          }}
        />
      )}
    </Card>
  );
}
