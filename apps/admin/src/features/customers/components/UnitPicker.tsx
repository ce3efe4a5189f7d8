import { Flex, Select } from 'antd';
import type { Unit } from '@qiaoliang/shared';
import { useEffect, useMemo, useState } from 'react';
import { useProjectOptions } from '../../../lib/lookups';
import { bareBuildingName, bareEntrance, buildingLabel } from '../../../lib/org-names';
import { T } from '../../../lib/texts';
import { useProjectBuildings, useUnitSearch } from '../api/units';

/** "3栋2单元1501", "3-2-1501", "观澜府 3-1501" → building, entrance, room; null for a bare room number. */
export function parseUnitText(text: string): { building: string; entrance: string | null; room: string } | null {
  const s = text.replace(/\s+/g, '');
  let m = /(\d+[A-Za-z]?)(?:栋|幢|座|号楼)(?:(\d+)单元)?(\d{3,5}[A-Za-z]?)(?:室|房|号)?$/.exec(s);
  if (m) return { building: m[1]!, entrance: m[2] ?? null, room: m[3]! };
  m = /(\d+[A-Za-z]?)[-－—](?:(\d+)[-－—])?(\d{3,5}[A-Za-z]?)$/.exec(s);
  if (m) return { building: m[1]!, entrance: m[2] ?? null, room: m[3]! };
  return null;
}

function useDebounced<V>(value: V, ms: number): V {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Picks a unit: project → (building) → unit searched by room number or by the address as
 * agents say it (3栋2单元1501). Used as a form control (value = unit id).
 */
export function UnitPicker({
  value,
  onChange,
  defaultProjectId,
  id,
}: {
  value?: string;
  onChange?: (unitId: string | undefined, unit?: Unit) => void;
  defaultProjectId?: string | null;
  id?: string;
}) {
  const projects = useProjectOptions();
  const [projectId, setProjectId] = useState<string | undefined>(defaultProjectId ?? undefined);
  const [buildingId, setBuildingId] = useState<string | undefined>();
  const [text, setText] = useState('');
  const search = useDebounced(text, 250);
  const buildings = useProjectBuildings(projectId);

  // Without a default, the first project in scope (agents mostly work in one or two).
  const firstProject = projects.data?.items[0]?.id;
  useEffect(() => {
    if (!projectId && firstProject) setProjectId(firstProject);
  }, [projectId, firstProject]);

  const parsed = parseUnitText(search);
  const parsedBuilding = parsed ? buildings.data?.find((b) => bareBuildingName(b.name) === bareBuildingName(parsed.building)) : undefined;
  const units = useUnitSearch({
    projectId,
    buildingId: parsedBuilding?.id ?? buildingId,
    q: parsed ? parsed.room : search.trim(),
  });
  const options = useMemo(() => {
    let items = units.data?.items ?? [];
    if (parsed?.entrance) items = items.filter((u) => bareEntrance(u.entrance) === parsed.entrance);
    if (parsed) items = items.filter((u) => u.roomNumber === parsed.room);
    return items.map((u) => ({ value: u.id, label: u.label }));
  }, [units.data, parsed]);

  return (
    <Flex gap={8} wrap>
      <Select
        aria-label={T.unitLinks.project}
        placeholder={T.unitLinks.project}
        value={projectId}
        onChange={(v: string) => {
          setProjectId(v);
          setBuildingId(undefined);
          onChange?.(undefined);
        }}
        loading={projects.isLoading}
        showSearch={{ optionFilterProp: 'label' }}
        options={projects.data?.items.map((p) => ({ value: p.id, label: p.name }))}
        style={{ width: 150 }}
      />
      <Select
        aria-label={T.unitLinks.building}
        placeholder={T.unitLinks.allBuildings}
        allowClear
        value={buildingId}
        onChange={(v?: string) => setBuildingId(v)}
        disabled={!projectId}
        loading={buildings.isLoading}
        options={buildings.data?.map((b) => ({ value: b.id, label: buildingLabel(b.name) }))}
        style={{ width: 120 }}
      />
      <Select
        id={id}
        aria-label={T.unitLinks.unit}
        placeholder={T.unitLinks.unitSearch}
        value={value}
        showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
        onChange={(v: string) => {
          onChange?.(v, units.data?.items.find((u) => u.id === v));
          setText('');
        }}
        disabled={!projectId}
        loading={units.isFetching}
        notFoundContent={units.isFetching ? T.common.loading : T.unitLinks.unitNotFound}
        options={options}
        style={{ flex: 1, minWidth: 220 }}
      />
    </Flex>
  );
}
