import { App, Button, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Upload, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { isApiError } from '../../../lib/api';
import { TH } from '../../../lib/texts-handover';
import { useBatch, useContractors, useHandoverUnit, useHandoverWrite, type ChecklistItem, type Defect } from '../api/handover';

const errText = (e: unknown) => (isApiError(e) ? e.text : String(e));

/** 验房: walk the checklist with the owner on a tablet, mark items passed or defective, register defects with photos, then 收楼 or 拒收. */
export function HandoverUnitPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const unit = useHandoverUnit(id);
  const batch = useBatch(unit.data?.batchId ?? '');
  const contractors = useContractors(batch.data?.projectId);
  const write = useHandoverWrite();
  const [defectFor, setDefectFor] = useState<ChecklistItem | null>(null);
  const [photo, setPhoto] = useState<File | null>(null);
  const [dialog, setDialog] = useState<'finish' | 'accept' | 'refuse' | null>(null);
  const [form] = Form.useForm();
  if (unit.error) return <QueryError error={unit.error} />;
  const u = unit.data;
  if (!u) return null;
  const defects = u.defects ?? [];
  const decided = u.status === 'accepted' || u.status === 'refused';
  const defectsOf = (c: ChecklistItem) => defects.filter((d) => d.room === c.room && d.item === c.item && d.status !== 'cancelled');

  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      void message.success(TH.unit.saved);
      return true;
    } catch (e) {
      void message.error(errText(e));
      return false;
    }
  };

  const addDefect = async () => {
    const v = await form.validateFields() as { description: string; severity: string; contractorId?: string };
    const ok = await run(async () => {
      const d = await write.mutateAsync({ path: `/api/handover/batches/${u.batchId}/defects`, body: { unitId: u.unitId, room: defectFor!.room, item: defectFor!.item, ...v } });
      if (photo) await write.mutateAsync({ path: `/api/handover/defects/${d.id}/photos`, file: photo });
    });
    if (ok) { setDefectFor(null); setPhoto(null); form.resetFields(); }
  };

  const columns: TableColumnsType<ChecklistItem> = [
    { title: TH.unit.room, dataIndex: 'room', width: 80 },
    { title: TH.unit.item, dataIndex: 'item', width: 80 },
    { title: TH.unit.criterion, dataIndex: 'criterion' },
    {
      title: TH.unit.result, width: 220, render: (_, c) => {
        const ds = defectsOf(c);
        return (
          <Space wrap>
            {ds.length ? ds.map((d) => <Tag key={d.id} color="error">{d.description}</Tag>) : <Tag color="success">{TH.unit.pass}</Tag>}
            {!decided ? <Button size="large" danger onClick={() => setDefectFor(c)} aria-label={`${c.room}${c.item}${TH.unit.defect}`}>{TH.unit.defect}</Button> : null}
          </Space>
        );
      },
    },
  ];
  const defectCols: TableColumnsType<Defect> = [
    { title: TH.unit.room, width: 70, render: (_, d) => `${d.room}·${d.item}` },
    { title: TH.unit.description, dataIndex: 'description' },
    { title: TH.unit.severity, dataIndex: 'severity', width: 80, render: (s: string) => TH.severity[s] },
    { title: TH.unit.contractor, dataIndex: 'contractorName', width: 120 },
    { title: TH.unit.due, dataIndex: 'dueAt', width: 100, render: (s: string | null) => s?.slice(0, 10) },
    { title: '', dataIndex: 'status', width: 80, render: (s: string) => <Tag>{TH.defectStatus[s]}</Tag> },
  ];
  const passed = (batch.data?.checklist ?? u.checklist ?? []).filter((c) => !defectsOf(c).length).length;

  return (
    <>
      <PageHeader title={`${u.buildingName} ${u.roomNumber}`} extra={
        <Space>
          <Link to={`/handover/batches/${u.batchId}`}>{batch.data?.name}</Link>
          {!decided ? <Button size="large" type="primary" onClick={() => setDialog('finish')}>{TH.unit.finish}</Button> : null}
          {u.status === 'inspected' ? <Button size="large" onClick={() => setDialog('accept')}>{TH.unit.accept}</Button> : null}
          {u.status === 'inspected' ? <Button size="large" danger onClick={() => setDialog('refuse')}>{TH.unit.refuse}</Button> : null}
        </Space>
      } />
      <Descriptions size="small" column={4} items={[
        { key: 's', label: TH.batch.status, children: TH.unitStatus[u.status] },
        { key: 'g', label: TH.batch.sign, children: TH.signStatus[u.signStatus] },
        { key: 'h', label: TH.unit.handoverDate, children: u.actualHandoverDate ?? '—' },
        { key: 'w', label: TH.unit.warrantyStart, children: u.warrantyStartDate ?? '—' },
      ]} />
      <Table rowKey={(c) => `${c.room}-${c.item}`} size="small" columns={columns} dataSource={u.checklist ?? []} pagination={false} style={{ marginTop: 8 }} />
      <h4 style={{ marginTop: 16 }}>{TH.unit.defects}（{defects.length}）</h4>
      <Table rowKey="id" size="small" columns={defectCols} dataSource={defects} pagination={false} />

      <Modal open={defectFor !== null} title={`${TH.unit.addDefect}：${defectFor?.room ?? ''}·${defectFor?.item ?? ''}`} onOk={() => void addDefect()} onCancel={() => setDefectFor(null)} confirmLoading={write.isPending} okText={TH.unit.addDefect}>
        <Form form={form} layout="vertical" initialValues={{ severity: 'minor' }}>
          <Form.Item name="description" label={TH.unit.description} rules={[{ required: true, min: 2 }]}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="severity" label={TH.unit.severity}><Select options={Object.entries(TH.severity).map(([value, label]) => ({ value, label }))} /></Form.Item>
          <Form.Item name="contractorId" label={TH.unit.contractor}><Select allowClear options={(contractors.data ?? []).map((c) => ({ value: c.id, label: c.name }))} /></Form.Item>
          <Form.Item label={TH.unit.photo}>
            <Upload accept="image/*" maxCount={1} beforeUpload={(f) => { setPhoto(f); return false; }} onRemove={() => setPhoto(null)}><Button>{TH.unit.photo}</Button></Upload>
          </Form.Item>
        </Form>
      </Modal>

      <Modal open={dialog === 'finish'} title={TH.unit.finish} onCancel={() => setDialog(null)} destroyOnHidden footer={null}>
        <Form layout="vertical" initialValues={{ signStatus: 'signed' }} onFinish={(v: { water?: number; electricity?: number; gas?: number; signStatus: string; signReason?: string }) => void run(async () => {
          await write.mutateAsync({ path: `/api/handover/units/${u.id}/inspection`, version: u.version, body: { passedItems: passed, meters: { water: v.water, electricity: v.electricity, gas: v.gas }, signStatus: v.signStatus, signReason: v.signReason } });
          setDialog(null);
        })}>
          <Space><Form.Item name="water" label={TH.unit.water}><InputNumber min={0} /></Form.Item><Form.Item name="electricity" label={TH.unit.electricity}><InputNumber min={0} /></Form.Item><Form.Item name="gas" label={TH.unit.gas}><InputNumber min={0} /></Form.Item></Space>
          <Form.Item name="signStatus" label={TH.unit.signStatus}><Select options={Object.entries(TH.signStatus).map(([value, label]) => ({ value, label }))} /></Form.Item>
          <Form.Item name="signReason" label={TH.unit.signReason}><Input /></Form.Item>
          <Button type="primary" htmlType="submit" loading={write.isPending}>{TH.unit.finish}</Button>
        </Form>
      </Modal>

      <Modal open={dialog === 'accept'} title={TH.unit.accept} onCancel={() => setDialog(null)} destroyOnHidden footer={null}>
        <Form layout="vertical" onFinish={(v: { handoverDate: { format: (f: string) => string }; keysTo: string }) => void run(async () => {
          const sig = photo ? await write.mutateAsync({ path: `/api/handover/units/${u.id}/signature`, file: photo }) : null;
          await write.mutateAsync({ path: `/api/handover/units/${u.id}/accept`, version: u.version, body: { handoverDate: v.handoverDate.format('YYYY-MM-DD'), keysTo: v.keysTo, ...(sig ? { signatureAttachmentId: sig.id } : {}) } });
          setPhoto(null);
          setDialog(null);
        })}>
          <Form.Item name="handoverDate" label={TH.unit.handoverDate} rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="keysTo" label={TH.unit.keysTo} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item label={TH.unit.signature}><Upload accept="image/png,image/jpeg" maxCount={1} beforeUpload={(f) => { setPhoto(f); return false; }}><Button>{TH.unit.signature}</Button></Upload></Form.Item>
          <Button type="primary" htmlType="submit" loading={write.isPending}>{TH.unit.accept}</Button>
        </Form>
      </Modal>

      <Modal open={dialog === 'refuse'} title={TH.unit.refuse} onCancel={() => setDialog(null)} destroyOnHidden footer={null}>
        <Form layout="vertical" onFinish={(v: { reasons: string }) => void run(async () => {
          await write.mutateAsync({ path: `/api/handover/units/${u.id}/refuse`, version: u.version, body: v });
          setDialog(null);
        })}>
          <Form.Item name="reasons" label={TH.unit.reasons} rules={[{ required: true, min: 2 }]}><Input.TextArea rows={3} /></Form.Item>
          <Button danger htmlType="submit" loading={write.isPending}>{TH.unit.refuse}</Button>
        </Form>
      </Modal>
    </>
  );
}
