import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api, applyFieldErrors } from '../../shared/api.js';
import { useT } from '../../shared/i18n.js';
import { LanguageSwitch } from '../../shared/LanguageSwitch.js';
import type { Me } from '../session.js';

export default function Login() {
  const tr = useT();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ user: Me }>('/api/auth/login', { method: 'POST', json: values });
      qc.setQueryData(['me'], res.user);
    } catch (err) {
      if (!applyFieldErrors(form, err)) setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: 'linear-gradient(160deg,#fdf2f0,#f5f5f5)',
      }}
    >
      <Card style={{ width: 380 }} extra={<LanguageSwitch />}>
        <Typography.Title level={3} style={{ textAlign: 'center', color: '#c0392b' }}>
          {tr('ui.appName')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {tr('ui.login.subtitle')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form form={form} name="login" layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="username"
            label={tr('ui.login.username')}
            rules={[{ required: true, message: tr('validation.required') }]}
          >
            <Input autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            name="password"
            label={tr('ui.login.password')}
            rules={[{ required: true, message: tr('validation.required') }]}
          >
            <Input.Password autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {tr('ui.login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
