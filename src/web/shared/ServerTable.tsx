import { useQuery } from '@tanstack/react-query';
import { Table, type TableProps } from 'antd';
import { useState } from 'react';
import { api, queryString } from './api.js';
import { useT } from './i18n.js';

export interface PageResult<T> {
  items: T[];
  total: number;
  /** The server counted only up to `total` (people lists stop at 10,000): more match. */
  totalCapped?: boolean;
}

/**
 * A server-paged, server-sorted, server-filtered list: the page state lives here, the filters come
 * from the caller, and every change is one request `?page&pageSize&sort&order&...filters`
 * (sort = the column's `dataIndex` where the column has `sorter: true`). A change of filters goes
 * back to page 1. A page stays small:
 *   const [filters, setFilters] = useState({});
 *   const { tableProps } = useServerList<Row>('/api/things', filters);
 *   return <ServerTable<Row> {...tableProps} columns={[...]} />;
 */
export function useServerList<T>(url: string, filters: Record<string, unknown>, key: unknown[] = []) {
  const tr = useT();
  const [paging, setPaging] = useState({
    page: 1,
    pageSize: 20,
    sort: undefined as string | undefined,
    order: undefined as string | undefined,
  });
  const filterKey = JSON.stringify(filters);
  const [seenFilters, setSeenFilters] = useState(filterKey);
  if (seenFilters !== filterKey) {
    setSeenFilters(filterKey);
    if (paging.page !== 1) setPaging((p) => ({ ...p, page: 1 }));
  }
  const params = { ...filters, ...paging };
  const query = useQuery({
    queryKey: [url, params, ...key],
    queryFn: () => api<PageResult<T>>(`${url}${queryString(params)}`),
    placeholderData: (prev) => prev,
  });
  const onChange: TableProps<T>['onChange'] = (p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    setPaging({
      page: p.current ?? 1,
      pageSize: p.pageSize ?? 20,
      sort: s?.order ? String(s.field) : undefined,
      order: s?.order === 'ascend' ? 'asc' : s?.order === 'descend' ? 'desc' : undefined,
    });
  };
  const tableProps: TableProps<T> = {
    rowKey: 'id' as any,
    loading: query.isFetching,
    dataSource: query.data?.items ?? [],
    onChange,
    locale: query.error ? { emptyText: tr('ui.loadFailed', { message: query.error.message }) } : undefined,
    pagination: {
      current: paging.page,
      pageSize: paging.pageSize,
      total: query.data?.total ?? 0,
      showSizeChanger: true,
      showTotal: (n) => tr('ui.total', { total: n }),
    },
  };
  return { query, tableProps, resetPage: () => setPaging((p) => ({ ...p, page: 1 })) };
}

export function ServerTable<T extends object>(props: TableProps<T>) {
  return <Table<T> size="middle" scroll={{ x: 'max-content' }} {...props} />;
}
