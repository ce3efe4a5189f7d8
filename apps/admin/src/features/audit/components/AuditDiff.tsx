import { Collapse, Table, Typography } from 'antd';
import { EmptyState } from '../../../components/EmptyState';
import { T } from '../../../lib/texts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function show(value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

interface Row {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

/** The fields a write touched: an update's `after` holds only the changed fields. */
function rowsOf(before: unknown, after: unknown): Row[] {
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const keys = isObj(after) ? Object.keys(a) : Object.keys(b);
  return keys.map((field) => ({
    field,
    before: b[field],
    after: a[field],
    changed: JSON.stringify(b[field]) !== JSON.stringify(a[field]),
  }));
}

/** Before/after comparison of one audit entry, with the raw JSON on demand. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const structured = isObj(before) || isObj(after);
  const rows = structured ? rowsOf(before, after) : [];
  return (
    <>
      {structured ? (
        <Table<Row>
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={rows}
          rowClassName={(r) => (r.changed ? 'audit-diff-changed' : '')}
          locale={{ emptyText: <EmptyState description={T.audit.noChanges} /> }}
          columns={[
            { title: T.audit.field, dataIndex: 'field', width: 200, render: (f: string) => <Typography.Text code>{f}</Typography.Text> },
            { title: T.audit.before, dataIndex: 'before', render: (v: unknown) => <pre className="json-value">{show(v)}</pre> },
            { title: T.audit.after, dataIndex: 'after', render: (v: unknown) => <pre className="json-value">{show(v)}</pre> },
          ]}
        />
      ) : null}
      <Collapse
        size="small"
        ghost
        items={[
          {
            key: 'raw',
            label: 'JSON',
            children: (
              <pre className="json-value">{JSON.stringify({ before: before ?? null, after: after ?? null }, null, 2)}</pre>
            ),
          },
        ]}
      />
    </>
  );
}
