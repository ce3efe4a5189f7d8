import { Button, Card, Descriptions, Typography } from 'antd';
import type { WorkOrder } from '@qiaoliang/shared';
import { useState } from 'react';
import { RevealModal } from '../../customers';
import { formatPhone, orDash } from '../../../lib/format';
import { T } from '../../../lib/texts';

/**
 * What the handler needs to do the work (issue #18 defect 7): the customer, their phone
 * (masked; the full number through the customer's audited reveal where the role allows it),
 * the unit, the ticket number and the customer's own words as registered.
 */
export function WorkOrderCustomerCard({ workOrder: w }: { workOrder: WorkOrder }) {
  const [revealing, setRevealing] = useState(false);
  const [clear, setClear] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const phone = clear ?? w.customerPhone ?? null;
  return (
    <Card size="small" title={T.console.woCustomer}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'ticket', label: T.console.woTicket, children: w.ticketNumber },
          { key: 'name', label: T.console.woCustomerName, children: orDash(w.customerName) },
          {
            key: 'phone',
            label: T.console.woPhone,
            children: (
              <>
                {phone ? formatPhone(phone) : '—'}
                {w.customerId && w.phoneRevealable && !clear && !forbidden ? (
                  <Button type="link" size="small" onClick={() => setRevealing(true)}>
                    {T.console.woReveal}
                  </Button>
                ) : null}
              </>
            ),
          },
          { key: 'unit', label: T.console.woUnit, children: orDash(w.locationLabel) },
        ]}
      />
      <Typography.Text type="secondary">{T.console.woComplaint}</Typography.Text>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>{w.ticketDescription ?? '—'}</Typography.Paragraph>
      {w.customerId ? (
        <RevealModal
          customerId={w.customerId}
          field={revealing ? 'phones' : null}
          onClose={() => setRevealing(false)}
          onRevealed={(r) => setClear(r.phones?.[0]?.phone ?? null)}
          onForbidden={() => setForbidden(true)}
        />
      ) : null}
    </Card>
  );
}
