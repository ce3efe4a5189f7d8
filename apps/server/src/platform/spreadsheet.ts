import { AppError } from '../http/app-error.js';
import { readXlsxRows, XlsxLimitError, type XlsxColumn } from './xlsx.js';

/** A table read from an uploaded .xlsx or .csv file; cells are trimmed strings. */
export interface SheetTable {
  headers: string[];
  rows: { rowNumber: number; cells: string[]; formulaColumns: number[] }[];
  /** How a CSV was decoded (xlsx is always UTF-8 inside). */
  encoding: 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';
}

export const MAX_IMPORT_ROWS = 100_000;
/**
 * Uncompressed bytes an .xlsx may inflate to (sheet and shared strings together). 100,000 rows of
 * a buyer list are about 60 MB of sheet XML; a zip bomb is refused when it passes this, not after.
 */
export const MAX_IMPORT_UNCOMPRESSED_BYTES = 128 * 1024 * 1024;

export interface ReadTableOptions {
  /** Called as rows arrive, with the number read so far. */
  onRow?: (rowsRead: number) => void;
  maxRows?: number;
  maxUncompressedBytes?: number;
}

const tooManyRows = (max: number) => new AppError(400, 'import.invalid_file', `一次最多导入 ${max} 行，请把文件拆分后分批导入`);

/**
 * Reads the first sheet of an .xlsx file or a CSV (UTF-8, GBK/GB18030 or UTF-16, detected).
 * Formulas are never evaluated. Parsing streams in small chunks that yield to the event loop,
 * and the limits are checked as the data arrives.
 */
export async function readTable(data: Buffer, filename: string, opts: ReadTableOptions = {}): Promise<SheetTable> {
  const lower = filename.toLowerCase();
  let table: SheetTable;
  if (lower.endsWith('.csv')) table = await parseCsvAsync(data, opts);
  else if (lower.endsWith('.xlsx')) table = await readXlsx(data, opts);
  else throw new AppError(400, 'import.invalid_file', '只支持 .xlsx 或 .csv 文件');
  // PostgreSQL text cannot hold U+0000 (the insert would fail with a 500); in a CSV it usually
  // means a binary file was renamed.
  const nulRow = table.headers.some(hasNul) ? 1 : table.rows.find((r) => r.cells.some(hasNul))?.rowNumber;
  if (nulRow !== undefined) throw new AppError(400, 'import.invalid_file', `第 ${nulRow} 行含有空字符（\\u0000），请检查文件是否为正常的表格文件`);
  return table;
}

const hasNul = (text: string): boolean => text.includes('\u0000');

async function readXlsx(data: Buffer, opts: ReadTableOptions): Promise<SheetTable> {
  const maxRows = opts.maxRows ?? MAX_IMPORT_ROWS;
  const maxBytes = opts.maxUncompressedBytes ?? MAX_IMPORT_UNCOMPRESSED_BYTES;
  let all;
  try {
    all = await readXlsxRows(data, { maxRows, maxUncompressedBytes: maxBytes, ...(opts.onRow ? { onRow: opts.onRow } : {}) });
  } catch (err) {
    if (err instanceof XlsxLimitError) {
      if (err.reason === 'too_many_rows') throw tooManyRows(maxRows);
      if (err.reason === 'too_large') {
        throw new AppError(400, 'import.too_large', `文件解压后超过 ${Math.round(maxBytes / 1024 / 1024)} MB，可能是异常文件（压缩炸弹）；请删除多余的工作表、格式和空白行后重试`);
      }
      throw new AppError(400, 'import.invalid_file', '文件不是有效的 Excel (.xlsx) 文件');
    }
    throw err;
  }
  const header = all.find((r) => r.rowNumber === 1);
  if (!header || all.length === 0) throw new AppError(400, 'import.invalid_file', '文件中没有数据');
  const headers = header.cells.map((h) => h.trim());
  while (headers.length && headers[headers.length - 1] === '') headers.pop();
  const width = headers.length;
  const rows: SheetTable['rows'] = [];
  for (const r of all) {
    if (r.rowNumber === 1) continue;
    const cells = headers.map((_, c) => r.cells[c] ?? '');
    const formulaColumns = r.formulaColumns.filter((c) => c < width);
    if (cells.some((x) => x !== '') || formulaColumns.length) rows.push({ rowNumber: r.rowNumber, cells, formulaColumns });
  }
  return { headers, rows, encoding: 'utf-8' };
}

// ---------------------------------------------------------------- CSV encoding

let commonHanzi: Set<string> | null = null;
/**
 * The 3,755 level-1 characters of GB 2312 (the commonest Chinese characters), decoded from
 * their code points: ordinary Chinese text is almost entirely made of them, while GBK bytes
 * misread as UTF-8 land on them only by chance.
 */
function levelOneHanzi(): Set<string> {
  if (commonHanzi) return commonHanzi;
  const dec = new TextDecoder('gb18030');
  const set = new Set<string>();
  for (let hi = 0xb0; hi <= 0xd7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) set.add(dec.decode(Uint8Array.of(hi, lo)));
  }
  commonHanzi = set;
  return set;
}

/**
 * How plausible a decoded text is as a Chinese office spreadsheet: the share of its non-ASCII
 * characters that are common hanzi or CJK/full-width punctuation. Mojibake scores low.
 */
export function chineseTextScore(text: string): number {
  const common = levelOneHanzi();
  let other = 0;
  let good = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    if (common.has(ch) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || c === 0x00b7 || c === 0x2014 || c === 0x2026 || (c >= 0x2018 && c <= 0x201d)) good++;
    else if (c >= 0x4e00 && c <= 0x9fff) good += 0.5; // a rarer hanzi: a name may hold one
    else other++;
  }
  const total = good + other;
  return total === 0 ? 1 : good / total;
}

/**
 * Decodes CSV bytes: a BOM decides; otherwise strict UTF-8 and GB18030 (a superset of GBK and
 * GB 2312) are both tried and the more plausible Chinese text wins, so GBK bytes that happen
 * to be valid UTF-8 are not imported as mojibake. Refuses text that reads as neither.
 */
export function decodeCsv(data: Buffer): { text: string; encoding: SheetTable['encoding'] } {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(data.subarray(3)), encoding: 'utf-8' };
  if (data[0] === 0xff && data[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(data.subarray(2)), encoding: 'utf-16le' };
  if (data[0] === 0xfe && data[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(data.subarray(2)), encoding: 'utf-16be' };
  let utf8: string | null = null;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    utf8 = null;
  }
  let gb: string | null = null;
  try {
    gb = new TextDecoder('gb18030', { fatal: true }).decode(data);
  } catch {
    gb = null;
  }
  const utf8Score = utf8 === null ? -1 : chineseTextScore(utf8);
  const gbScore = gb === null ? -1 : chineseTextScore(gb);
  // Pure ASCII decodes the same both ways; UTF-8 wins ties.
  if (utf8 !== null && utf8Score >= gbScore && utf8Score >= 0.6) return { text: utf8, encoding: 'utf-8' };
  if (gb !== null && gbScore >= 0.6) return { text: gb, encoding: 'gb18030' };
  throw new AppError(400, 'import.invalid_file', 'CSV 文件的编码无法识别，请另存为“CSV UTF-8（逗号分隔）”或 GBK 编码后重试');
}

async function parseCsvAsync(data: Buffer, opts: ReadTableOptions): Promise<SheetTable> {
  const maxRows = opts.maxRows ?? MAX_IMPORT_ROWS;
  const { text, encoding } = decodeCsv(data);
  const records: string[][] = [];
  let last = performance.now();
  for (const record of csvRecords(text)) {
    records.push(record);
    if (records.length > maxRows + 1) throw tooManyRows(maxRows);
    if (records.length % 1000 === 0) {
      opts.onRow?.(records.length - 1);
      if (performance.now() - last > 8) {
        await new Promise((resolve) => setImmediate(resolve));
        last = performance.now();
      }
    }
  }
  return toTable(records, encoding);
}

function toTable(records: string[][], encoding: SheetTable['encoding']): SheetTable {
  if (records.length === 0) throw new AppError(400, 'import.invalid_file', '文件中没有数据');
  const headers = records[0]!.map((h) => h.trim());
  const rows: SheetTable['rows'] = [];
  records.slice(1).forEach((r, i) => {
    const cells = headers.map((_, c) => (r[c] ?? '').trim());
    if (cells.some((x) => x !== '')) rows.push({ rowNumber: i + 2, cells, formulaColumns: [] });
  });
  return { headers, rows, encoding };
}

/** The records of a CSV text, one at a time (so limits apply as they arrive). */
function* csvRecords(text: string): Generator<string[]> {
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
      yield record;
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new AppError(400, 'import.invalid_file', 'CSV 文件中有未闭合的引号');
  if (field !== '' || record.length) {
    record.push(field);
    yield record;
  }
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

/** The record with each column's value escaped (escapeCell). */
export function escapeRecord(r: Record<string, unknown>, columns: XlsxColumn[]): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const c of columns) safe[c.key] = escapeCell(r[c.key]);
  return safe;
}
