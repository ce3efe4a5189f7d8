import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { Button, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { periodQuery } from '../../../lib/period';
import { hasRole, useMe } from '../../../lib/session';
import { T } from '../../../lib/texts';

/** The title of a KPI records page, its definition, the way back to the dashboard and the export. */
export function KpiPageHeader({ title, subtitle, back, onExport, exportDisabled }: {
  title: string;
  subtitle: string;
  /** The dashboard's filters to go back to. */
  back: Record<string, string | undefined>;
  onExport: () => void;
  exportDisabled: boolean;
}) {
  const navigate = useNavigate();
  const { data: me } = useMe();
  const mayDashboard = hasRole(me, 'supervisor', 'manager', 'executive', 'admin');
  return (
    <PageHeader
      title={
        <>
          {mayDashboard ? (
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label={T.kpiRecords.back} title={T.kpiRecords.back} onClick={() => navigate(`/dashboard${periodQuery(back)}`)} style={{ marginRight: 8 }} />
          ) : null}
          {title}
        </>
      }
      extra={
        <Button icon={<DownloadOutlined />} onClick={onExport} disabled={exportDisabled}>
          {T.kpiRecords.export}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', maxWidth: 1000 }}>
        {subtitle}
      </Typography.Paragraph>
    </PageHeader>
  );
}
