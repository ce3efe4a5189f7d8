import { Select } from 'antd';
import type { ScopeKind } from '@qiaoliang/shared';
import { useRef, useState } from 'react';
import { useCityCompanies, useProjectOptions } from '../../../lib/lookups';

interface Props {
  kind: ScopeKind;
  value?: string[];
  onChange?: (ids: string[]) => void;
  id?: string;
}

/**
 * Picks the city companies or projects a user's data scope names. Projects are searched on
 * the server (a group may have more than one page of them); names already seen are kept so
 * that chosen projects stay labelled while another search runs.
 */
export function ScopeIdsSelect({ kind, value, onChange, id }: Props) {
  const [q, setQ] = useState('');
  const cityCompanies = useCityCompanies();
  const projects = useProjectOptions(kind === 'project' ? q : undefined);
  const labels = useRef(new Map<string, string>());

  const current =
    kind === 'city_company'
      ? (cityCompanies.data ?? []).map((c) => ({ value: c.id, label: c.name }))
      : (projects.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.cityCompanyName}）` }));
  for (const o of current) labels.current.set(o.value, o.label);
  const missing = (value ?? [])
    .filter((v) => !current.some((o) => o.value === v) && labels.current.has(v))
    .map((v) => ({ value: v, label: labels.current.get(v) ?? v }));

  return (
    <Select
      id={id}
      mode="multiple"
      value={value}
      onChange={onChange}
      options={[...current, ...missing]}
      loading={kind === 'city_company' ? cityCompanies.isLoading : projects.isFetching}
      showSearch={{ optionFilterProp: 'label', onSearch: kind === 'project' ? setQ : undefined }}
      onBlur={() => setQ('')}
      style={{ width: '100%' }}
    />
  );
}
