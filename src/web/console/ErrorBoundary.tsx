import { Button, Result, Space, Typography } from 'antd';
import { Component, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useT } from '../shared/i18n.js';

interface Props {
  page: string;
  children: ReactNode;
}

/**
 * Catches a render error in one page: instead of a white console, it says which page failed and
 * with what error, and offers a way back. Keyed by the address, so leaving the page resets it.
 */
class Boundary extends Component<Props & { fallback: (error: Error, reset: () => void) => ReactNode }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error) {
    console.error(error);
  }

  override render() {
    if (this.state.error) return this.props.fallback(this.state.error, () => this.setState({ error: null }));
    return this.props.children;
  }
}

function Crashed({ page, error, reset }: { page: string; error: Error; reset: () => void }) {
  const tr = useT();
  const navigate = useNavigate();
  return (
    <div data-testid="page-crashed">
      <Result
        status="error"
        title={tr('ui.crash.title')}
        subTitle={
          <Typography.Text type="secondary">
            {tr('ui.crash.detail', { page, message: error.message || String(error) })}
          </Typography.Text>
        }
        extra={
          <Space>
            <Button type="primary" onClick={() => navigate(-1)}>
              {tr('ui.crash.back')}
            </Button>
            <Button onClick={() => navigate('/')}>{tr('ui.crash.home')}</Button>
            <Button onClick={reset}>{tr('ui.crash.retry')}</Button>
          </Space>
        }
      />
    </div>
  );
}

export function PageBoundary({ page, children }: Props) {
  const { pathname } = useLocation();
  return (
    <Boundary
      key={pathname}
      page={page}
      fallback={(error, reset) => <Crashed page={page} error={error} reset={reset} />}
    >
      {children}
    </Boundary>
  );
}
