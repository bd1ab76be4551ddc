import { App, Button, Form, Input } from 'antd';
import { api, applyFieldErrors } from '../shared/api.js';
import { useT } from '../shared/i18n.js';

/** Current password, new password twice; the server's policy errors land under their fields. */
export function PasswordForm({ onChanged }: { onChanged(): void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const change = async (v: { current: string; next: string }) => {
    try {
      await api('/api/auth/password', { method: 'POST', json: { current: v.current, next: v.next } });
      form.resetFields();
      message.success(tr('ui.account.changed'));
      onChanged();
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error((err as Error).message);
    }
  };
  return (
    <Form form={form} name="changePassword" layout="vertical" onFinish={change}>
      <Form.Item
        name="current"
        label={tr('ui.account.current')}
        rules={[{ required: true, message: tr('validation.required') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="next"
        label={tr('ui.account.next')}
        extra={tr('ui.account.policy')}
        rules={[{ required: true, message: tr('validation.required') }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={tr('ui.account.confirm')}
        dependencies={['next']}
        rules={[
          { required: true, message: tr('validation.required') },
          ({ getFieldValue }) => ({
            validator: (_, v) =>
              !v || v === getFieldValue('next')
                ? Promise.resolve()
                : Promise.reject(tr('ui.account.mismatch')),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        {tr('ui.save')}
      </Button>
    </Form>
  );
}
