import { useQueryClient } from '@tanstack/react-query';
import { Select } from 'antd';
import { getLocale, setLocale, useT } from './i18n.js';

/** zh-CN (default) or English; the choice is kept in localStorage and sent as Accept-Language. */
export function LanguageSwitch() {
  const tr = useT();
  const qc = useQueryClient();
  return (
    <Select
      size="small"
      aria-label={tr('ui.shell.language')}
      data-testid="language"
      value={getLocale()}
      onChange={(v) => {
        setLocale(v);
        // Server messages (errors, labels computed on the server) come back in the new language.
        qc.invalidateQueries();
      }}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en', label: 'English' },
      ]}
      style={{ width: 96 }}
    />
  );
}
