import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { headRelation, relations } from '../../../../modules/people/codes.js';
import { api, applyFieldErrors } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useSession } from '../../session.js';

interface Member {
  residentId: string;
  name: string;
  age: number;
  relation: string;
}
interface Household {
  id: string;
  headResidentId: string | null;
  members: Member[];
}

const relationName = (code: string) => relations[code] ?? code;
const relationOptions = (withHead: boolean) =>
  Object.entries(relations)
    .filter(([code]) => withHead || code !== headRelation)
    .map(([value, name]) => ({ value, label: `${value} ${name}` }));

/**
 * What the household card can do to one member: make them the head (户主变更, asking what the former
 * head becomes) or change their relation. One form in a modal serves both.
 */
type Change = { kind: 'head' | 'relation'; member: Member };

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
  const [busy, setBusy] = useState(false);
  const formerHead = household.members.find((m) => m.relation === headRelation);
  const head = change.kind === 'head';
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      if (head)
        await api(`/api/households/${household.id}/head`, {
          method: 'POST',
          json: { residentId: change.member.residentId, formerHeadRelation: v.formerHeadRelation },
        });
      else
        await api(`/api/households/${household.id}/members/${change.member.residentId}`, {
          method: 'PATCH',
          json: { relation: v.relation },
        });
      onClose(true);
    } catch (err) {
      const field = head ? 'formerHeadRelation' : 'relation';
      if (!applyFieldErrors(form, err)) form.setFields([{ name: field, errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`${head ? tr('ui.people.makeHead') : tr('ui.people.changeRelation')}：${change.member.name}`}
      okText={tr('ui.save')}
      cancelText={tr('ui.cancel')}
      confirmLoading={busy}
      onOk={submit}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        data-testid="household-change-form"
        initialValues={head ? {} : { relation: change.member.relation }}
      >
        {head && formerHead && (
          <Form.Item
            name="formerHeadRelation"
            label={tr('ui.people.formerHeadRelation', { name: formerHead.name })}
            rules={[{ required: true, message: tr('ui.people.formerHeadRelationRequired') }]}
          >
            <Select showSearch optionFilterProp="label" options={relationOptions(false)} />
          </Form.Item>
        )}
        {head && !formerHead && <Typography.Text>{tr('ui.people.noFormerHead')}</Typography.Text>}
        {!head && (
          <Form.Item
            name="relation"
            label={tr('ui.people.relation')}
            rules={[{ required: true, message: tr('ui.people.relationRequired') }]}
          >
            <Select showSearch optionFilterProp="label" options={relationOptions(false)} />
          </Form.Item>
        )}
      </Form>
    </Modal>
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
    <Card size="small" title={tr('ui.people.household')}>
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
