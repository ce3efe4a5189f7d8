import { Card } from 'antd';
import type { Customer } from '@qiaoliang/shared';
import { T } from '../../../lib/texts';
import { useVisits } from '../api/visits';
import { RecordVisitButton } from './RecordVisitButton';
import { VisitsTable } from './VisitsTable';

/**
 * 拜访记录 of one customer with the 记录拜访 button, for the customer page: every contact
 * (callbacks, phone and home visits, event contacts) that counts for K3.
 */
export function CustomerVisitsCard({ customer }: { customer: Pick<Customer, 'id' | 'name' | 'units'> }) {
  const visits = useVisits({ customerId: customer.id, limit: 50 });
  return (
    <Card size="small" title={T.visitRecord.recent} extra={<RecordVisitButton customer={customer} type="link" />}>
      <VisitsTable visits={visits.data} loading={visits.isFetching} showCustomer={false} showProject pageSize={5} />
    </Card>
  );
}
