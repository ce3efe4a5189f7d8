import { Alert, Flex, Modal, Radio, Typography } from 'antd';
import type { SegmentPreview, SurveyChannel } from '@qiaoliang/shared';
import { useState } from 'react';
import { T } from '../../../lib/texts';

const S = T.surveySend;

/** Confirms sending: who gets it (the live count), by which channel, and that it is final. */
export function SendSurveyModal({ open, title, preview, sending, onSend, onCancel }: {
  open: boolean;
  title: string;
  preview: SegmentPreview | undefined;
  sending: boolean;
  onSend: (channel: SurveyChannel) => void;
  onCancel: () => void;
}) {
  const [channel, setChannel] = useState<SurveyChannel>('sms');
  const empty = preview !== undefined && preview.customers === 0;
  return (
    <Modal
      open={open}
      title={`${S.title}：${title}`}
      okText={S.confirm}
      cancelText={T.common.cancel}
      onOk={() => onSend(channel)}
      onCancel={onCancel}
      okButtonProps={{ loading: sending, disabled: empty || !preview }}
      destroyOnHidden
      width={560}
    >
      <Flex vertical gap={16}>
        {preview ? (
          <Typography.Paragraph style={{ fontSize: 16, margin: 0 }}>
            {S.summary(preview.customers)}
            {channel === 'sms' ? S.smsCount(preview.withMobile) : null}
          </Typography.Paragraph>
        ) : null}
        <div>
          <Typography.Text strong>{S.channel}</Typography.Text>
          <Radio.Group value={channel} onChange={(e) => setChannel(e.target.value as SurveyChannel)} style={{ display: 'block', marginTop: 8 }}>
            <Flex vertical gap={8}>
              <Radio value="sms">{S.sms}</Radio>
              <Radio value="portal">{S.portal}</Radio>
            </Flex>
          </Radio.Group>
        </div>
        {empty ? <Alert type="error" showIcon title={S.empty} /> : <Alert type="warning" showIcon title={S.irreversible} />}
      </Flex>
    </Modal>
  );
}
