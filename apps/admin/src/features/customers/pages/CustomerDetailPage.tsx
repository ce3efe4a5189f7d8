import { ArrowLeftOutlined, EditOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { Button, Col, Flex, Row, Skeleton, Tag } from 'antd';
import type { ArchiveField, CustomerUnitLink, RevealField, RevealResult } from '@qiaoliang/shared';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { NotFoundPage } from '../../../components/ResultPages';
import { isApiError } from '../../../lib/api';
import { nameMap, useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { UI } from '../../../lib/texts-ui';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCustomerAccess } from '../access';
import { useCustomer } from '../api/customers';
import { CUSTOMER_FORM_FIELD, LINK_FORM_FIELD } from '../archive-fields';
import { CustomerAttachmentsCard } from '../../../components/attachments/RecordAttachments';
import { ArchiveCard } from '../components/ArchiveCard';
import { ContactCard } from '../components/ContactCard';
import { CustomerFormDrawer } from '../components/CustomerFormDrawer';
import { KindTag, VipTag } from '../components/CustomerTags';
import { EndRelationModal } from '../components/EndRelationModal';
import { TransferUnitModal } from '../components/TransferUnitModal';
import { IdentityCard } from '../components/IdentityCard';
import { RecordVisitButton } from '../../visits';
import { MergeModal } from '../components/MergeModal';
import { OtherCard } from '../components/OtherCard';
import { RevealModal } from '../components/RevealModal';
import { TimelineCard } from '../components/TimelineCard';
import { UnitLinkModal } from '../components/UnitLinkModal';
import { UnitsCard } from '../components/UnitsCard';

/** Revealed values disappear by themselves after this long (and when the page is left). */
const REVEAL_TTL_MS = 5 * 60_000;

/** Holds a revealed value for a while; it is never cached beyond this component. */
function useTemporary<V>() {
  const [value, setValue] = useState<V | null>(null);
  useEffect(() => {
    if (value === null) return;
    const timer = setTimeout(() => setValue(null), REVEAL_TTL_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return [value, setValue] as const;
}

/**
 * 客户 360: who the customer is, how to reach them, their homes with the purchase facts,
 * the archive state (K4) with what is missing, and everything that happened with them.
 */
export function CustomerDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { me, canWrite, canBulk } = useCustomerAccess();
  const { data: customer, isLoading, error, refetch } = useCustomer(id);
  useDocumentTitle(customer ? UI.titles.customer(customer.name) : null);
  const projectNames = nameMap(useProjectOptions().data?.items);

  const [editing, setEditing] = useState<{ open: boolean; focus: string | null }>({ open: false, focus: null });
  const [linkEditor, setLinkEditor] = useState<{ open: boolean; link: CustomerUnitLink | null; focus: string | null }>({ open: false, link: null, focus: null });
  const [ending, setEnding] = useState<CustomerUnitLink | null>(null);
  const [transferring, setTransferring] = useState<CustomerUnitLink | null>(null);
  const [merging, setMerging] = useState(false);
  const [revealing, setRevealing] = useState<RevealField | null>(null);
  const [forbidden, setForbidden] = useState<RevealField[]>([]);
  const [clearPhones, setClearPhones] = useTemporary<{ id: string; phone: string }[]>();
  const [clearIdNumber, setClearIdNumber] = useTemporary<string>();

  // Revealed numbers belong to the phones they were revealed for (a saved list has new ids).
  const clearPhoneMap = useMemo(() => {
    if (!clearPhones || !customer) return null;
    const map = new Map(clearPhones.map((p) => [p.id, p.phone]));
    return customer.phones.every((p) => map.has(p.id)) ? map : null;
  }, [clearPhones, customer]);

  if (isApiError(error, 404) || isApiError(error, 403) || isApiError(error, 400)) return <NotFoundPage subTitle={T.customers.notFound} />;
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (isLoading || !customer) return <Skeleton active />;

  // Back to the list as it was (search and filters) when the user came from it.
  const goBack = () => ((window.history.state as { idx?: number } | null)?.idx ? navigate(-1) : navigate('/customers'));

  const onRevealed = (r: RevealResult) => {
    if (r.field === 'phones') setClearPhones(r.phones ?? []);
    else setClearIdNumber(r.idNumber ?? null);
  };

  /** Opens the form where a missing archive field is filled. */
  const fix = (field: ArchiveField) => {
    const formField = CUSTOMER_FORM_FIELD[field];
    if (formField) {
      setEditing({ open: true, focus: formField });
      return;
    }
    const linkField = LINK_FORM_FIELD[field];
    const current = customer.units.filter((u) => u.current);
    if (field === 'unit' || !linkField || !current.length) {
      setLinkEditor({ open: true, link: null, focus: null });
      return;
    }
    const key = linkField as keyof CustomerUnitLink;
    const lacking = current.find((u) => !u[key]) ?? current[0]!;
    setLinkEditor({ open: true, link: lacking, focus: linkField });
  };

  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={8} wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label={T.customers.back} title={T.customers.back} onClick={goBack} />
            {customer.name}
            <KindTag kind={customer.kind} />
            {customer.vip ? <VipTag /> : null}
            {customer.tags.map((t) => (
              <Tag key={t} style={{ marginInlineEnd: 0, fontWeight: 'normal' }}>
                {t}
              </Tag>
            ))}
          </Flex>
        }
        extra={
          <>
            {canWrite ? <RecordVisitButton customer={customer} /> : null}
            {canBulk ? (
              <Button icon={<MergeCellsOutlined />} onClick={() => setMerging(true)}>
                {T.customers.merge}
              </Button>
            ) : null}
            {canWrite ? (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing({ open: true, focus: null })}>
                {T.customers.edit}
              </Button>
            ) : null}
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <ContactCard
              customer={customer}
              clearPhones={clearPhoneMap}
              canReveal={Boolean(me?.canRevealPhones) && !forbidden.includes('phones')}
              onReveal={() => setRevealing('phones')}
              onHide={() => setClearPhones(null)}
            />
            <UnitsCard
              customer={customer}
              canWrite={canWrite}
              onAdd={() => setLinkEditor({ open: true, link: null, focus: null })}
              onEdit={(link) => setLinkEditor({ open: true, link, focus: null })}
              onEnd={setEnding}
              onTransfer={setTransferring}
            />
            <TimelineCard customerId={customer.id} />
            <CustomerAttachmentsCard customerId={customer.id} mayUpload={canWrite} />
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <ArchiveCard customer={customer} canWrite={canWrite} onFix={fix} />
            <IdentityCard
              customer={customer}
              clearIdNumber={clearIdNumber}
              canReveal={Boolean(me?.canRevealIdNumber) && !forbidden.includes('id_number')}
              onReveal={() => setRevealing('id_number')}
              onHide={() => setClearIdNumber(null)}
              onAdd={canWrite ? () => setEditing({ open: true, focus: 'idNumber' }) : undefined}
            />
            <OtherCard customer={customer} projectName={customer.projectId ? (projectNames.get(customer.projectId) ?? null) : null} />
          </Flex>
        </Col>
      </Row>

      <CustomerFormDrawer
        open={editing.open}
        record={customer}
        clearPhones={clearPhoneMap ? clearPhones : null}
        focusField={editing.focus}
        onRequestReveal={forbidden.includes('phones') ? undefined : () => setRevealing('phones')}
        onClose={() => setEditing({ open: false, focus: null })}
      />
      <UnitLinkModal
        customer={customer}
        link={linkEditor.link}
        open={linkEditor.open}
        focusField={linkEditor.focus}
        onClose={() => setLinkEditor({ open: false, link: null, focus: null })}
      />
      <EndRelationModal customerId={customer.id} link={ending} onClose={() => setEnding(null)} />
      <TransferUnitModal seller={customer} link={transferring} onClose={() => setTransferring(null)} />
      <RevealModal
        customerId={customer.id}
        field={revealing}
        onClose={() => setRevealing(null)}
        onRevealed={onRevealed}
        onForbidden={(f) => setForbidden((prev) => [...prev, f])}
      />
      {canBulk ? <MergeModal customer={customer} open={merging} onClose={() => setMerging(false)} /> : null}
    </>
  );
}
