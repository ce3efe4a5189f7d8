import { Select } from 'antd';
import { SEVERITIES, SEVERITY_LABELS, TICKET_STATUSES, TICKET_STATUS_LABELS, TICKET_TYPES, TICKET_TYPE_LABELS } from '@qiaoliang/shared';
import { useProjectOptions } from '../../lib/lookups';
import { SearchFilter } from '../SearchFilter';
import { T } from '../../lib/texts';

/** The value of the status filter that stands for every open status. */
export const OPEN_STATUS_FILTER = 'open';

/** The ticket filters a list keeps in its address (see useUrlParams). */
export interface TicketFilterValues {
  q?: string;
  status?: string;
  type?: string;
  severity?: string;
  projectId?: string;
}

/**
 * The filter controls of a ticket list: search, status (when `withStatus`), type, severity
 * and project (hidden when the user sees only one project and `projectWhenSeveral`).
 */
export function TicketFilters({ filters, onChange, withStatus, projectWhenSeveral }: {
  filters: TicketFilterValues;
  onChange: (changes: TicketFilterValues) => void;
  withStatus?: boolean;
  projectWhenSeveral?: boolean;
}) {
  const projects = useProjectOptions();
  const showProject = !projectWhenSeveral || (projects.data?.items.length ?? 0) > 1;
  return (
    <>
      <SearchFilter label={T.tickets.searchPlaceholder} value={filters.q} onSearch={(q) => onChange({ q })} />
      {withStatus ? (
        <Select
          placeholder={T.tickets.allStatuses}
          aria-label={T.tickets.status}
          allowClear
          value={filters.status}
          onChange={(v?: string) => onChange({ status: v })}
          options={[{ value: OPEN_STATUS_FILTER, label: T.tickets.open }, ...TICKET_STATUSES.map((s) => ({ value: s, label: TICKET_STATUS_LABELS[s] }))]}
          style={{ width: 130 }}
        />
      ) : null}
      <Select
        placeholder={T.tickets.allTypes}
        aria-label={T.tickets.type}
        allowClear
        value={filters.type}
        onChange={(v?: string) => onChange({ type: v })}
        options={TICKET_TYPES.map((t) => ({ value: t, label: TICKET_TYPE_LABELS[t] }))}
        style={{ width: 120 }}
      />
      <Select
        placeholder={T.tickets.allSeverities}
        aria-label={T.tickets.severity}
        allowClear
        value={filters.severity}
        onChange={(v?: string) => onChange({ severity: v })}
        options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
        style={{ width: 120 }}
      />
      {showProject ? (
        <Select
          placeholder={T.tickets.allProjects}
          aria-label={T.tickets.project}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={filters.projectId}
          onChange={(v?: string) => onChange({ projectId: v })}
          options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
          style={{ width: 180 }}
        />
      ) : null}
    </>
  );
}
