import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Typography } from 'antd';
import { api } from '../../shared/api.js';
import { useT } from '../../shared/i18n.js';
import { PasswordForm } from '../PasswordForm.js';
import type { Me } from '../session.js';

/** What a user signed in with a reset or generated password sees, and all they can do: choose a new one. */
export default function ChangePassword({ me }: { me: Me }) {
  const tr = useT();
  const qc = useQueryClient();
  const logout = async () => {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
    qc.clear();
    qc.setQueryData(['me'], null);
  };
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card
        style={{ width: 420 }}
        title={tr('ui.account.mustChange.title')}
        extra={
          <Button type="link" onClick={logout}>
            {tr('ui.shell.logout')}
          </Button>
        }
      >
        <Typography.Paragraph>{me.displayName}</Typography.Paragraph>
        <Alert
          type="warning"
          showIcon
          title={tr('ui.account.mustChange.hint')}
          style={{ marginBottom: 16 }}
        />
        <PasswordForm onChanged={() => qc.invalidateQueries({ queryKey: ['me'] })} />
      </Card>
    </div>
  );
}
