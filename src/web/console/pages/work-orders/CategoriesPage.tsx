import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { type QuestionRow, QuestionsEditor } from './QuestionsEditor.js';

interface CategoryRow {
  id: string;
  code: string;
  name: string;
  parentCode: string | null;
  handlerType: 'grid' | 'community' | 'department';
  department: string | null;
  sla: string;
  active: boolean;
  questions: QuestionRow[];
}

/**
 * 诉求类别: the categories as a tree (groups with their leaves), each leaf with the questions a
 * report in it asks. A few dozen rows: the whole list is one request.
 */
export default function CategoriesPage() {
  const tr = useT();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<CategoryRow | null>(null);
  const list = useQuery({
    queryKey: ['work-order-categories', 'all'],
    queryFn: () => api<CategoryRow[]>('/api/work-order-categories?all=true'),
  });
  const rows = list.data ?? [];
  const tree = rows
    .filter((c) => !c.parentCode)
    .map((g) => ({ ...g, children: rows.filter((c) => c.parentCode === g.code) }));
  if (list.error) return <Alert type="error" showIcon title={list.error.message} />;
  return (
    <Card title={tr('ui.nav.categories')}>
      <Table<CategoryRow & { children?: CategoryRow[] }>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={tree}
        pagination={false}
        // Every group open: the expansion state is set when the rows arrive, not on the empty first render.
        expandable={{ expandedRowKeys: tree.map((g) => g.id), showExpandColumn: false }}
        data-testid="category-table"
        columns={[
          { title: tr('ui.categories.name'), dataIndex: 'name' },
          { title: tr('ui.categories.code'), dataIndex: 'code' },
          {
            title: tr('ui.categories.handler'),
            render: (_, c) =>
              c.parentCode ? (c.department ?? tr(`ui.categories.handler.${c.handlerType}`)) : '',
          },
          { title: tr('ui.categories.sla'), dataIndex: 'sla', render: (s, c) => (c.parentCode ? s : '') },
          {
            title: tr('ui.categories.questions'),
            render: (_, c) =>
              c.parentCode &&
              (c.questions.length
                ? c.questions
                    .slice()
                    .sort((a, b) => a.order - b.order)
                    .map((q) => (
                      <Tag key={q.code} color={q.required ? 'red' : undefined}>
                        {q.description}
                      </Tag>
                    ))
                : tr('ui.categories.noQuestions')),
          },
          {
            title: tr('ui.categories.status'),
            render: (_, c) => !c.active && <Tag>{tr('ui.categories.inactive')}</Tag>,
          },
          {
            title: tr('ui.actions'),
            render: (_, c) =>
              c.parentCode && (
                <Button size="small" onClick={() => setEditing(c)} data-testid={`edit-questions-${c.code}`}>
                  {tr('ui.categories.editQuestions')}
                </Button>
              ),
          },
        ]}
      />
      {editing && (
        <QuestionsEditor
          category={editing}
          onClose={(saved) => {
            setEditing(null);
            // The intake dialog's category list too: it reads the same categories.
            if (saved) qc.invalidateQueries({ queryKey: ['work-order-categories'] });
          }}
        />
      )}
    </Card>
  );
}
