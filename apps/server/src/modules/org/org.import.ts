import type { ImportRowError, UnitImportReport } from '@qiaoliang/shared';
import type { Deps } from '../../deps.js';
import { AppError, notFound } from '../../http/app-error.js';
import { appendAudit, type AuditContext } from '../../platform/audit.js';
import { projectInScope, type Actor } from '../../platform/auth.js';
import { mapColumns, readTable } from '../../platform/spreadsheet.js';
import { findProject } from './org.repo.js';

const COLUMNS = {
  building: { names: ['楼栋', '楼栋名称', '楼号', 'building'], required: true, label: '楼栋' },
  entrance: { names: ['单元', '单元号', 'entrance'], required: true, label: '单元' },
  floor: { names: ['楼层', 'floor'], required: true, label: '楼层' },
  room: { names: ['房号', '房间号', '室号', 'room', 'roomnumber'], required: true, label: '房号' },
  area: { names: ['建筑面积', '面积', '面积(㎡)', '建筑面积(㎡)', 'area'], required: false, label: '建筑面积' },
  layout: { names: ['户型', 'layout'], required: false, label: '户型' },
} as const;

interface ParsedUnit {
  building: string;
  entrance: string;
  floor: number;
  room: string;
  area: number | null;
  layout: string | null;
}

/** Strips the 栋/单元 suffixes agents type, so "3栋" and "3" name the same building. */
const bare = (s: string, suffix: RegExp) => s.replace(suffix, '').trim();

/**
 * Imports a building/unit inventory into a project. Every row is validated first; a file
 * with any error imports nothing. Buildings named in the file are created when missing.
 */
export async function importUnits(
  deps: Deps, actor: Actor, ctx: AuditContext, projectId: string, filename: string, data: Buffer, dryRun: boolean,
): Promise<UnitImportReport> {
  const project = await findProject(deps.db, projectId);
  if (!project || !projectInScope(actor, projectId)) throw notFound('项目不存在或不在您的数据范围内');
  const table = await readTable(data, filename);
  const { index, missing } = mapColumns(table.headers, COLUMNS);
  if (missing.length) throw new AppError(400, 'import.invalid_file', `缺少必需的列：${missing.join('、')}`);

  const errors: ImportRowError[] = [];
  const parsed: ParsedUnit[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    const cell = (i: number) => (i >= 0 ? row.cells[i] ?? '' : '');
    const rowErrors: ImportRowError[] = [];
    for (const col of row.formulaColumns) {
      rowErrors.push({ row: row.rowNumber, column: table.headers[col] ?? '', message: '单元格不能包含公式' });
    }
    const building = bare(cell(index.building), /栋$|号楼$/);
    const entrance = bare(cell(index.entrance), /单元$/) || '1';
    const floorText = cell(index.floor);
    const room = cell(index.room);
    const areaText = cell(index.area);
    const layout = cell(index.layout) || null;
    if (!building) rowErrors.push({ row: row.rowNumber, column: '楼栋', message: '楼栋不能为空' });
    else if (building.length > 40) rowErrors.push({ row: row.rowNumber, column: '楼栋', message: '楼栋名称不能超过 40 个字符' });
    if (entrance.length > 20) rowErrors.push({ row: row.rowNumber, column: '单元', message: '单元不能超过 20 个字符' });
    const floor = Number(floorText);
    if (!floorText) rowErrors.push({ row: row.rowNumber, column: '楼层', message: '楼层不能为空' });
    else if (!Number.isInteger(floor) || floor < -10 || floor > 200) rowErrors.push({ row: row.rowNumber, column: '楼层', message: `楼层「${floorText}」应为 -10 到 200 之间的整数` });
    if (!room) rowErrors.push({ row: row.rowNumber, column: '房号', message: '房号不能为空' });
    else if (room.length > 20) rowErrors.push({ row: row.rowNumber, column: '房号', message: '房号不能超过 20 个字符' });
    let area: number | null = null;
    if (areaText) {
      area = Number(areaText);
      if (!Number.isFinite(area) || area <= 0 || area > 100000) rowErrors.push({ row: row.rowNumber, column: '建筑面积', message: `建筑面积「${areaText}」应为正数` });
    }
    if (layout && layout.length > 40) rowErrors.push({ row: row.rowNumber, column: '户型', message: '户型不能超过 40 个字符' });
    const key = `${building}|${entrance}|${room}`;
    if (building && room) {
      const first = seen.get(key);
      if (first !== undefined) rowErrors.push({ row: row.rowNumber, column: '房号', message: `与第 ${first} 行重复` });
      else seen.set(key, row.rowNumber);
    }
    if (rowErrors.length) errors.push(...rowErrors);
    else parsed.push({ building, entrance, floor, room, area, layout });
  }
  if (table.rows.length === 0) throw new AppError(400, 'import.invalid_file', '文件中没有数据行');

  // Units already in the project are errors too: an import never silently overwrites.
  const existingBuildings = await deps.db.selectFrom('buildings').select(['id', 'name']).where('project_id', '=', projectId).execute();
  const buildingIds = new Map(existingBuildings.map((b) => [b.name, b.id]));
  const existingUnits = await deps.db
    .selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id')
    .select(['b.name as building', 'u.entrance', 'u.room_number']).where('u.project_id', '=', projectId).execute();
  const existingKeys = new Set(existingUnits.map((u) => `${u.building}|${u.entrance}|${u.room_number}`));
  for (const p of parsed) {
    const key = `${p.building}|${p.entrance}|${p.room}`;
    if (existingKeys.has(key)) errors.push({ row: seen.get(key)!, column: '房号', message: `房屋 ${p.building}栋${p.entrance}单元${p.room} 已存在` });
  }
  errors.sort((a, b) => a.row - b.row);

  const newBuildings = [...new Set(parsed.map((p) => p.building))].filter((b) => !buildingIds.has(b));
  const report: UnitImportReport = {
    dryRun,
    totalRows: table.rows.length,
    validRows: table.rows.length - new Set(errors.map((e) => e.row)).size,
    createdBuildings: 0,
    createdUnits: 0,
    errors: errors.slice(0, 1000),
  };
  if (errors.length || dryRun) {
    if (dryRun && !errors.length) {
      report.createdBuildings = newBuildings.length;
      report.createdUnits = parsed.length;
    }
    return report;
  }

  const now = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    for (const name of newBuildings) {
      const id = deps.ids.next();
      const floors = Math.max(...parsed.filter((p) => p.building === name).map((p) => p.floor));
      await trx.insertInto('buildings').values({ id, project_id: projectId, name, floors: floors > 0 ? floors : null, version: 1, created_at: now, updated_at: now }).execute();
      buildingIds.set(name, id);
    }
    const rows = parsed.map((p) => ({
      id: deps.ids.next(), project_id: projectId, building_id: buildingIds.get(p.building)!, entrance: p.entrance, floor: p.floor,
      room_number: p.room, area: p.area, layout: p.layout, version: 1, created_at: now, updated_at: now,
    }));
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('units').values(rows.slice(i, i + 500)).execute();
    await appendAudit(trx, deps, ctx, {
      action: 'unit.imported', entityType: 'project', entityId: projectId,
      after: { filename, buildings: newBuildings.length, units: rows.length },
    });
  });
  report.createdBuildings = newBuildings.length;
  report.createdUnits = parsed.length;
  return report;
}
