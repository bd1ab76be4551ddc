import { Image, Space, Table, Typography } from 'antd';
import { useT } from '../../../shared/i18n.js';
import { fmt, type Photo, type Whistle } from './common.js';

/** Thumbnails that open the full photo (both come through the work order's photo route, EXIF-free). */
export function Photos({ photos }: { photos: Photo[] }) {
  if (!photos.length) return null;
  return (
    <Image.PreviewGroup>
      <Space wrap size={8}>
        {photos.map((p) => (
          <Image
            key={p.id}
            width={96}
            height={96}
            style={{ objectFit: 'cover', borderRadius: 4 }}
            src={p.thumbnailUrl ?? p.url}
            preview={{ src: p.url }}
            data-testid="wo-photo"
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** Who was whistled and whether they reported and replied; red once a department is late. */
export function WhistleTable({ whistles, compact }: { whistles: Whistle[]; compact?: boolean }) {
  const tr = useT();
  const now = Date.now();
  const late = (w: Whistle) => !w.repliedAt && new Date(w.dueAt).getTime() < now;
  const when = (v: string | null, empty: string, w: Whistle) =>
    v ? (
      fmt(v)
    ) : (
      <Typography.Text type={late(w) ? 'danger' : 'warning'}>
        {empty}
        {late(w) ? `（${tr('ui.wo.board.late')}）` : ''}
      </Typography.Text>
    );
  return (
    <Table<Whistle>
      size="small"
      rowKey="departmentId"
      pagination={false}
      data-testid="wo-whistles"
      locale={{ emptyText: tr('ui.wo.noWhistles') }}
      dataSource={whistles}
      onRow={(w) => ({ 'data-late': String(late(w)) }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: tr('ui.wo.department'),
          dataIndex: 'departmentName',
          render: (n, w) => (late(w) ? <Typography.Text type="danger">{n}</Typography.Text> : n),
        },
        ...(compact ? [] : [{ title: tr('ui.wo.whistledAt'), dataIndex: 'whistledAt', render: fmt }]),
        { title: tr('ui.wo.whistleDue'), dataIndex: 'dueAt', render: fmt },
        {
          title: tr('ui.wo.acknowledgedAt'),
          dataIndex: 'acknowledgedAt',
          render: (v, w) => when(v, tr('ui.wo.notYet'), w),
        },
        {
          title: tr('ui.wo.repliedAt'),
          dataIndex: 'repliedAt',
          render: (v, w) => when(v, tr('ui.wo.notReplied'), w),
        },
      ]}
    />
  );
}
