import { EditOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Menu, Row, Spin, Typography } from 'antd';
import type { Building } from '@qiaoliang/shared';
import { useSearchParams } from 'react-router';
import { QueryError } from '../../../components/QueryError';
import { buildingLabel } from '../../../lib/org-names';
import { T } from '../../../lib/texts';
import { useEditor } from '../../../lib/use-editor';
import { useDisclosure } from '../../../lib/use-disclosure';
import { useBuildings } from '../api/buildings';
import { BuildingFormModal } from './BuildingFormModal';
import { UnitImportModal } from './UnitImportModal';
import { UnitTable } from './UnitTable';

/** 楼栋与房屋: the buildings on the left, the selected building's units on the right. */
export function BuildingsUnitsTab({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const { data: buildings, isLoading, error, refetch } = useBuildings(projectId);
  const [params, setParams] = useSearchParams();
  const editor = useEditor<Building>();
  const importer = useDisclosure();
  const selectedId = params.get('building');
  const selected = buildings?.find((b) => b.id === selectedId) ?? buildings?.[0];

  const select = (id: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('building', id);
        return next;
      },
      { replace: true },
    );

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;

  return (
    <>
      {canEdit ? (
        <Flex gap={8} justify="end" style={{ marginBottom: 16 }}>
          <Button icon={<PlusOutlined />} onClick={editor.create}>{T.buildings.create}</Button>
          <Button icon={<ImportOutlined />} onClick={importer.show}>{T.unitImport.open}</Button>
        </Flex>
      ) : null}
      <Row gutter={16}>
        <Col xs={24} md={7} lg={6} xl={5}>
          <Card
            size="small"
            title={T.buildings.title}
            styles={{ body: { padding: 4 } }}
            extra={
              canEdit && selected ? (
                <Button
                  type="text"
                  size="small"
                  icon={<EditOutlined />}
                  aria-label={`${T.buildings.edit} ${buildingLabel(selected.name)}`}
                  onClick={() => editor.edit(selected)}
                />
              ) : null
            }
          >
            {isLoading ? (
              <Flex justify="center" style={{ padding: 24 }}><Spin /></Flex>
            ) : buildings?.length ? (
              <Menu
                mode="inline"
                selectedKeys={selected ? [selected.id] : []}
                onClick={({ key }) => select(key)}
                style={{ borderInlineEnd: 'none' }}
                aria-label={T.buildings.title}
                items={buildings.map((b) => ({
                  key: b.id,
                  label: (
                    <Flex justify="space-between" align="center">
                      <span>{buildingLabel(b.name)}</span>
                      <Typography.Text type="secondary">{T.buildings.unitCount(b.unitCount)}</Typography.Text>
                    </Flex>
                  ),
                }))}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={T.buildings.empty} />
            )}
          </Card>
        </Col>
        <Col xs={24} md={17} lg={18} xl={19}>
          {selected ? (
            <UnitTable key={selected.id} projectId={projectId} building={selected} canEdit={canEdit} />
          ) : isLoading ? null : (
            <Empty description={T.buildings.select} />
          )}
        </Col>
      </Row>
      <BuildingFormModal
        projectId={projectId}
        open={editor.open}
        record={editor.record}
        onClose={editor.close}
        onCreated={(b) => select(b.id)}
      />
      <UnitImportModal projectId={projectId} open={importer.open} onClose={importer.hide} />
    </>
  );
}
