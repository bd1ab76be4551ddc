import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { questionTypes } from '../../../../modules/work-orders/questions.js';
import { api, formFieldErrors, validValues } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';

export interface QuestionRow {
  code: string;
  description: string;
  datatype: (typeof questionTypes)[number];
  required: boolean;
  order: number;
  hint?: string | null;
  values?: { key: string; name: string }[];
}

const isList = (t?: string) => t === 'singlevaluelist' || t === 'multivaluelist';

/** As the server wants them: choices only on list questions, an empty hint left out. */
function cleaned(qs: QuestionRow[]): QuestionRow[] {
  return qs.map((q) => ({
    code: q.code.trim(),
    description: q.description.trim(),
    datatype: q.datatype,
    required: !!q.required,
    order: q.order,
    hint: q.hint?.trim() || null,
    ...(isList(q.datatype) ? { values: q.values ?? [] } : {}),
  }));
}

/**
 * A category's questions (Open311 service attributes), edited as a list: the phone's report form
 * and Open311 clients ask them in `order`. Saved in one PATCH; the server checks and audits it, and
 * its refusals land under the field they name (`questions.2.values`).
 */
export function QuestionsEditor(props: {
  category: { id: string; name: string; questions: QuestionRow[] };
  onClose: (saved: boolean) => void;
}) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ questions: QuestionRow[] }>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = await validValues(form);
    if (!v) return;
    setBusy(true);
    try {
      await api(`/api/work-order-categories/${props.category.id}`, {
        method: 'PATCH',
        json: { questions: cleaned(v.questions ?? []) },
      });
      message.success(tr('ui.categories.saved'));
      props.onClose(true);
    } catch (err) {
      // List positions come back as text ("questions.0.code"); the form's list names them by number.
      const fields = formFieldErrors(err).map((f) => ({
        ...f,
        name: f.name.map((n) => (/^\d+$/.test(String(n)) ? Number(n) : n)),
      }));
      if (fields.some((f) => f.name[0] === 'questions')) form.setFields(fields as never);
      else message.error((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const required = (key: string) => ({ required: true, whitespace: true, message: tr(key) });
  return (
    <Modal
      open
      width={760}
      title={tr('ui.categories.questionsOf', { name: props.category.name })}
      okText={tr('ui.save')}
      confirmLoading={busy}
      onOk={save}
      onCancel={() => props.onClose(false)}
    >
      <Typography.Paragraph type="secondary">{tr('ui.categories.questionsHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ questions: props.category.questions }}>
        <Form.List name="questions">
          {(items, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }} data-testid="questions">
              {items.map(({ key, name }) => (
                <Card
                  key={key}
                  size="small"
                  data-testid="question"
                  title={tr('ui.categories.question', { n: name + 1 })}
                  extra={
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      onClick={() => remove(name)}
                      aria-label={tr('ui.categories.removeQuestion')}
                    />
                  }
                >
                  <Space wrap align="start">
                    <Form.Item
                      name={[name, 'description']}
                      label={tr('ui.categories.description')}
                      rules={[required('ui.categories.descriptionRequired')]}
                    >
                      <Input style={{ width: 300 }} maxLength={200} />
                    </Form.Item>
                    <Form.Item
                      name={[name, 'code']}
                      label={tr('ui.categories.code')}
                      tooltip={tr('ui.categories.codeHelp')}
                      rules={[
                        required('ui.categories.codeRequired'),
                        { pattern: /^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, message: tr('ui.categories.codeFormat') },
                      ]}
                    >
                      <Input style={{ width: 140 }} maxLength={40} />
                    </Form.Item>
                    <Form.Item
                      name={[name, 'datatype']}
                      label={tr('ui.categories.datatype')}
                      rules={[{ required: true, message: tr('ui.categories.datatypeRequired') }]}
                    >
                      <Select
                        style={{ width: 130 }}
                        options={questionTypes.map((t) => ({
                          value: t,
                          label: tr(`ui.categories.type.${t}`),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[name, 'order']}
                      label={tr('ui.categories.order')}
                      rules={[{ required: true, message: tr('ui.categories.orderRequired') }]}
                    >
                      <InputNumber min={0} max={1000} precision={0} style={{ width: 80 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'required']} label=" " valuePropName="checked">
                      <Checkbox>{tr('ui.categories.required')}</Checkbox>
                    </Form.Item>
                  </Space>
                  <Form.Item name={[name, 'hint']} label={tr('ui.categories.hint')}>
                    <Input maxLength={200} placeholder={tr('ui.categories.hintPlaceholder')} />
                  </Form.Item>
                  <Form.Item noStyle dependencies={[['questions', name, 'datatype']]}>
                    {() =>
                      isList(form.getFieldValue(['questions', name, 'datatype'])) && (
                        <Choices question={name} />
                      )
                    }
                  </Form.Item>
                </Card>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                data-testid="add-question"
                onClick={() =>
                  add({
                    code: '',
                    description: '',
                    datatype: 'string',
                    required: false,
                    order: items.length + 1,
                  })
                }
              >
                {tr('ui.categories.addQuestion')}
              </Button>
            </Space>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** The choices of a list question: a stored value and the words shown for it. */
function Choices({ question }: { question: number }) {
  const tr = useT();
  return (
    <Form.List
      name={[question, 'values']}
      rules={[
        {
          validator: async (_, values?: unknown[]) => {
            if (!values?.length) throw new Error(tr('ui.categories.choicesRequired'));
          },
        },
      ]}
    >
      {(items, { add, remove }, { errors }) => (
        <Form.Item label={tr('ui.categories.choices')} required>
          {items.map(({ key, name }) => (
            <Space key={key} align="start" data-testid="choice">
              <Form.Item
                name={[name, 'name']}
                rules={[{ required: true, message: tr('ui.categories.choiceName') }]}
              >
                <Input placeholder={tr('ui.categories.choiceName')} maxLength={60} />
              </Form.Item>
              <Form.Item
                name={[name, 'key']}
                rules={[{ required: true, message: tr('ui.categories.choiceKey') }]}
              >
                <Input placeholder={tr('ui.categories.choiceKey')} maxLength={60} style={{ width: 140 }} />
              </Form.Item>
              <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(name)} />
            </Space>
          ))}
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => add({ key: '', name: '' })}
            data-testid="add-choice"
          >
            {tr('ui.categories.addChoice')}
          </Button>
          <Form.ErrorList errors={errors} />
        </Form.Item>
      )}
    </Form.List>
  );
}
