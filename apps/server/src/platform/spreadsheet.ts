import type ExcelJS from 'exceljs';
import { AppError } from '../http/app-error.js';

/** A table read from an uploaded .xlsx or .csv file; cells are trimmed strings. */
export interface SheetTable {
  headers: string[];
  rows: { rowNumber: number; cells: string[]; formulaColumns: number[] }[];
}

export const MAX_IMPORT_ROWS = 100_000;

let excel: Promise<typeof ExcelJS> | null = null;
/**
 * ExcelJS, loaded on first use: it is the heaviest module the server has (about a third of a
 * second of CPU at start), and only imports and exports need it, so a restart does not pay.
 */
export function loadExcelJs(): Promise<typeof ExcelJS> {
  excel ??= import('exceljs').then((m) => m.default);
  return excel;
}

/** Reads the first sheet of an .xlsx file or a UTF-8 CSV. Formulas are never evaluated. */
export async function readTable(data: Buffer, filename: string): Promise<SheetTable> {
  const lower = filename.toLowerCase();
  let table: SheetTable;
  if (lower.endsWith('.csv')) table = parseCsv(data);
  else if (lower.endsWith('.xlsx')) table = await readXlsx(data);
  else throw new AppError(400, 'import.invalid_file', '只支持 .xlsx 或 .csv 文件');
  // PostgreSQL text cannot hold U+0000 (the insert would fail with a 500); in a CSV it usually
  // means a binary file was renamed.
  const nulRow = table.headers.some(hasNul) ? 1 : table.rows.find((r) => r.cells.some(hasNul))?.rowNumber;
  if (nulRow !== undefined) throw new AppError(400, 'import.invalid_file', `第 ${nulRow} 行含有空字符（\\u0000），请检查文件是否为正常的表格文件`);
  return table;
}

const hasNul = (text: string): boolean => text.includes('\u0000');

async function readXlsx(data: Buffer): Promise<SheetTable> {
  const wb = new (await loadExcelJs()).Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new AppError(400, 'import.invalid_file', '文件不是有效的 Excel (.xlsx) 文件');
  }
  const ws = wb.worksheets[0];
  if (!ws || ws.rowCount === 0) throw new AppError(400, 'import.invalid_file', '文件中没有数据');
  if (ws.rowCount > MAX_IMPORT_ROWS + 1) throw new AppError(400, 'import.invalid_file', `一次最多导入 ${MAX_IMPORT_ROWS} 行`);
  const headerRow = ws.getRow(1);
  const width = headerRow.cellCount;
  const headers: string[] = [];
  for (let c = 1; c <= width; c++) headers.push(cellText(headerRow.getCell(c).value).text);
  const rows: SheetTable['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: string[] = [];
    const formulaColumns: number[] = [];
    for (let c = 1; c <= width; c++) {
      const { text, formula } = cellText(row.getCell(c).value);
      cells.push(text);
      if (formula) formulaColumns.push(c - 1);
    }
    if (cells.some((x) => x !== '')) rows.push({ rowNumber, cells, formulaColumns });
  });
  return { headers, rows };
}

function cellText(v: ExcelJS.CellValue): { text: string; formula: boolean } {
  if (v === null || v === undefined) return { text: '', formula: false };
  if (typeof v === 'string') return { text: v.trim(), formula: false };
  if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v), formula: false };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), formula: false };
  if (typeof v === 'object') {
    if ('formula' in v || 'sharedFormula' in v) return { text: '', formula: true };
    if ('richText' in v) return { text: v.richText.map((r) => r.text).join('').trim(), formula: false };
    if ('text' in v) return { text: String(v.text).trim(), formula: false };
    if ('result' in v) return { text: String(v.result ?? '').trim(), formula: false };
  }
  return { text: String(v).trim(), formula: false };
}

/** RFC 4180 CSV with quotes; a UTF-8 BOM is dropped. */
export function parseCsv(data: Buffer): SheetTable {
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  if (text.includes('\uFFFD')) throw new AppError(400, 'import.invalid_file', 'CSV 文件须为 UTF-8 编码');
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new AppError(400, 'import.invalid_file', 'CSV 文件中有未闭合的引号');
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  if (records.length === 0) throw new AppError(400, 'import.invalid_file', '文件中没有数据');
  if (records.length > MAX_IMPORT_ROWS + 1) throw new AppError(400, 'import.invalid_file', `一次最多导入 ${MAX_IMPORT_ROWS} 行`);
  const headers = records[0]!.map((h) => h.trim());
  const rows: SheetTable['rows'] = [];
  records.slice(1).forEach((r, i) => {
    const cells = headers.map((_, c) => (r[c] ?? '').trim());
    if (cells.some((x) => x !== '')) rows.push({ rowNumber: i + 2, cells, formulaColumns: [] });
  });
  return { headers, rows };
}

/**
 * Finds each wanted column by its accepted header names. Returns the column indexes and
 * the Chinese message for missing required columns.
 */
export function mapColumns<K extends string>(
  headers: string[],
  spec: Record<K, { names: readonly string[]; required: boolean; label: string }>,
): { index: Record<K, number>; missing: string[] } {
  const norm = headers.map((h) => h.replace(/\s+/g, '').toLowerCase());
  const index = {} as Record<K, number>;
  const missing: string[] = [];
  for (const key of Object.keys(spec) as K[]) {
    const s = spec[key];
    index[key] = norm.findIndex((h) => s.names.some((n) => n.toLowerCase() === h));
    if (index[key] < 0 && s.required) missing.push(s.label);
  }
  return { index, missing };
}

/** A cell that a spreadsheet program would run as a formula is prefixed with a quote. */
export function escapeCell(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Writes one sheet with headers; every text cell is escaped against formula injection. */
export async function writeXlsx(sheetName: string, columns: { header: string; key: string; width?: number }[], rows: Record<string, unknown>[]): Promise<Buffer> {
  const wb = new (await loadExcelJs()).Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16 }));
  for (const r of rows) {
    const safe: Record<string, unknown> = {};
    for (const c of columns) safe[c.key] = escapeCell(r[c.key]);
    ws.addRow(safe);
  }
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
