import { createWriteStream, type WriteStream } from 'node:fs';
import { Inflate, Zip, ZipDeflate } from 'fflate';
import { SaxesParser } from 'saxes';

/*
 * A small streaming .xlsx reader and writer over fflate (zip) and saxes (XML), both maintained
 * and without dependencies (ADR 0006). Only what imports and exports need: the first sheet's
 * cell values in, text/number/boolean cells with a bold header and column widths out.
 */

/** Why a workbook was refused; the caller turns it into a Chinese problem+json. */
export class XlsxLimitError extends Error {
  constructor(readonly reason: 'invalid' | 'too_large' | 'too_many_rows', message: string) {
    super(message);
    this.name = 'XlsxLimitError';
  }
}

export interface XlsxReadLimits {
  /** Uncompressed bytes of all parts read together (sheet, shared strings, workbook). */
  maxUncompressedBytes: number;
  /** Data rows after the header; one more refuses the file at once. */
  maxRows: number;
  /** Called as rows arrive (for progress and tests). */
  onRow?: (rowsRead: number) => void;
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** Reads the zip central directory: names, declared sizes and where each entry's data starts. */
function zipEntries(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxLimitError('invalid', 'not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new XlsxLimitError('invalid', 'broken central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Lets other requests run between chunks of a long parse (architecture rule 15). */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const CHUNK = 4096;
const RATIO_CHECK_AFTER = 4 * 1024 * 1024;
const MAX_RATIO = 250;
/** Excel's own limit on the characters of a cell. */
const MAX_CELL_CHARS = 32_767;

/**
 * Inflates one entry in small chunks, handing text to `onText`; stops with too_large as soon as
 * the running total of uncompressed bytes passes the budget, so a zip bomb never reaches memory.
 */
async function streamEntry(buf: Buffer, e: ZipEntry, budget: { left: number }, onText: (text: string) => void): Promise<void> {
  if (e.localOffset + 30 > buf.length || buf.readUInt32LE(e.localOffset) !== 0x04034b50) throw new XlsxLimitError('invalid', 'broken local header');
  const start = e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  const decoder = new TextDecoder('utf-8');
  let failure: unknown = null;
  let inflated = 0;
  let consumed = 0;
  const take = (chunk: Uint8Array) => {
    if (failure) return;
    budget.left -= chunk.length;
    inflated += chunk.length;
    if (budget.left < 0) {
      failure = new XlsxLimitError('too_large', 'uncompressed size over the limit');
      return;
    }
    // Spreadsheet XML deflates 5 to 50 times; a zip bomb about 1000 times. Stop it early.
    if (inflated > RATIO_CHECK_AFTER && inflated > MAX_RATIO * Math.max(consumed, 1)) {
      failure = new XlsxLimitError('too_large', 'compression ratio of a zip bomb');
      return;
    }
    try {
      onText(decoder.decode(chunk, { stream: true }));
    } catch (err) {
      failure = err;
    }
  };
  if (e.method === 0) {
    for (let i = 0; i < data.length && !failure; i += CHUNK * 16) {
      take(data.subarray(i, i + CHUNK * 16));
      await yieldToLoop();
    }
  } else if (e.method === 8) {
    const inflate = new Inflate((chunk) => take(chunk));
    let last = performance.now();
    for (let i = 0; i < data.length && !failure; i += CHUNK) {
      consumed = Math.min(i + CHUNK, data.length);
      try {
        inflate.push(data.subarray(i, i + CHUNK), i + CHUNK >= data.length);
      } catch {
        throw new XlsxLimitError('invalid', 'broken deflate data');
      }
      if (performance.now() - last > 8) {
        await yieldToLoop();
        last = performance.now();
      }
    }
  } else throw new XlsxLimitError('invalid', `unsupported compression ${e.method}`);
  if (failure) throw failure;
  onText(decoder.decode());
}

/** Runs saxes over a streamed entry; the callbacks see open/close tags and text. */
async function parseEntry(
  buf: Buffer, e: ZipEntry, budget: { left: number },
  on: { open?: (name: string, attrs: Record<string, string>) => void; close?: (name: string) => void; text?: (t: string) => void },
): Promise<void> {
  const parser = new SaxesParser({ xmlns: false });
  parser.on('error', (err) => {
    throw new XlsxLimitError('invalid', err.message);
  });
  if (on.open) parser.on('opentag', (t) => on.open!(localName(t.name), t.attributes as Record<string, string>));
  if (on.close) parser.on('closetag', (t) => on.close!(localName(t.name)));
  if (on.text) {
    parser.on('text', on.text);
    parser.on('cdata', on.text);
  }
  await streamEntry(buf, e, budget, (text) => {
    if (text) parser.write(text);
  });
  parser.close();
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** The first worksheet's part name, from the workbook and its relationships. */
async function firstSheetPath(buf: Buffer, entries: Map<string, ZipEntry>, budget: { left: number }): Promise<{ path: string; date1904: boolean }> {
  const wb = entries.get('xl/workbook.xml');
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  let rid: string | null = null;
  let date1904 = false;
  if (wb) {
    await parseEntry(buf, wb, budget, {
      open: (n, a) => {
        if (n === 'sheet' && rid === null) rid = a['r:id'] ?? a.id ?? null;
        if (n === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      },
    });
  }
  const targets = new Map<string, string>();
  if (rels) await parseEntry(buf, rels, budget, { open: (n, a) => { if (n === 'Relationship' && a.Id && a.Target) targets.set(a.Id, a.Target); } });
  const target = rid ? targets.get(rid) : undefined;
  if (target) {
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    if (entries.has(path)) return { path, date1904 };
  }
  const sheets = [...entries.keys()].filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n)).sort();
  if (!sheets[0]) throw new XlsxLimitError('invalid', 'no worksheet');
  return { path: sheets[0], date1904 };
}

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30, with the CJK ones). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
/** A custom format code shows a date when it has date/time letters outside quotes and brackets. */
const isDateCode = (code: string): boolean => /[ymdhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '')) && !/^general$/i.test(code);

/** Which cell styles (index into cellXfs) show a date: Excel stores dates as day numbers. */
async function dateStyles(buf: Buffer, entries: Map<string, ZipEntry>, budget: { left: number }): Promise<Set<number>> {
  const styles = entries.get('xl/styles.xml');
  const out = new Set<number>();
  if (!styles) return out;
  const custom = new Map<number, string>();
  let inCellXfs = false;
  let index = 0;
  await parseEntry(buf, styles, budget, {
    open: (n, a) => {
      if (n === 'numFmt' && a.numFmtId) custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (n === 'cellXfs') inCellXfs = true;
      else if (n === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        if (DATE_FORMAT_IDS.has(id) || (custom.has(id) && isDateCode(custom.get(id)!))) out.add(index);
        index++;
      }
    },
    close: (n) => {
      if (n === 'cellXfs') inCellXfs = false;
    },
  });
  return out;
}

/** An Excel day number as YYYY-MM-DD, with HH:MM when it has a time of day. */
function serialToText(serial: number, date1904: boolean): string {
  const ms = Math.round((serial + (date1904 ? 1462 : 0)) * 86_400_000) + Date.UTC(1899, 11, 30);
  const iso = new Date(ms).toISOString();
  return serial % 1 === 0 ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** "BC12" → 54 (zero-based column of a cell reference). */
function columnOf(ref: string): number {
  let col = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    col = col * 26 + (code - 64);
  }
  return col - 1;
}

/** One row of the first sheet: 1-based row number, cell texts by column, formula columns. */
export interface XlsxRow {
  rowNumber: number;
  cells: string[];
  formulaColumns: number[];
}

/**
 * Reads the first sheet of an .xlsx buffer as rows of cell texts. Formulas are never evaluated
 * (their cells are reported). Limits are checked as the data arrives: declared sizes first, then
 * the uncompressed bytes actually inflated, then the rows one by one.
 */
export async function readXlsxRows(buf: Buffer, limits: XlsxReadLimits): Promise<XlsxRow[]> {
  const list = zipEntries(buf);
  const entries = new Map(list.map((e) => [e.name, e]));
  const meta = { left: limits.maxUncompressedBytes };
  const { path: sheetPath, date1904 } = await firstSheetPath(buf, entries, meta);
  const dates = await dateStyles(buf, entries, meta);
  const sheet = entries.get(sheetPath)!;
  const sst = entries.get('xl/sharedStrings.xml');
  const declared = sheet.uncompressedSize + (sst?.uncompressedSize ?? 0);
  if (declared > limits.maxUncompressedBytes) throw new XlsxLimitError('too_large', 'declared size over the limit');
  const budget = { left: limits.maxUncompressedBytes };

  const strings: string[] = [];
  if (sst) {
    let current: string | null = null;
    let inT = false;
    let depthRph = 0;
    await parseEntry(buf, sst, budget, {
      open: (n) => {
        if (n === 'si') current = '';
        else if (n === 'rPh') depthRph++;
        else if (n === 't' && depthRph === 0) inT = true;
      },
      close: (n) => {
        if (n === 'si') {
          strings.push(current ?? '');
          current = null;
        } else if (n === 'rPh') depthRph--;
        else if (n === 't') inT = false;
      },
      text: (t) => {
        if (inT && current !== null) {
          current += t;
          if (current.length > MAX_CELL_CHARS) throw new XlsxLimitError('invalid', 'shared string longer than Excel allows');
        }
      },
    });
  }

  const rows: XlsxRow[] = [];
  let row: XlsxRow | null = null;
  let nextRow = 1;
  let cell: { col: number; type: string; style: number; formula: boolean; value: string; inValue: boolean } | null = null;
  let nextCol = 0;
  await parseEntry(buf, sheet, budget, {
    open: (n, a) => {
      if (n === 'row') {
        const r = a.r ? Number(a.r) : nextRow;
        row = { rowNumber: r, cells: [], formulaColumns: [] };
        nextRow = r + 1;
        nextCol = 0;
        if (r > limits.maxRows + 1 || rows.length > limits.maxRows) throw new XlsxLimitError('too_many_rows', 'too many rows');
      } else if (n === 'c' && row) {
        const col = a.r ? columnOf(a.r) : nextCol;
        cell = { col, type: a.t ?? 'n', style: Number(a.s ?? 0), formula: false, value: '', inValue: false };
        nextCol = col + 1;
      } else if (cell && (n === 'v' || n === 't')) cell.inValue = true;
      else if (cell && n === 'f') cell.formula = true;
    },
    close: (n) => {
      if ((n === 'v' || n === 't') && cell) cell.inValue = false;
      else if (n === 'c' && cell && row) {
        const c = cell as { col: number; type: string; style: number; formula: boolean; value: string };
        let text = c.value;
        if (c.type === 's') text = strings[Number(c.value)] ?? '';
        else if (c.type === 'n' && c.value !== '' && dates.has(c.style) && Number.isFinite(Number(c.value))) text = serialToText(Number(c.value), date1904);
        else if (c.type === 'b') text = c.value === '1' ? 'true' : 'false';
        if (c.formula) {
          row.formulaColumns.push(c.col);
          text = '';
        }
        if (c.col >= 0 && c.col < 16384) row.cells[c.col] = text.trim();
        cell = null;
      } else if (n === 'row' && row) {
        const r = row as XlsxRow;
        for (let i = 0; i < r.cells.length; i++) r.cells[i] ??= '';
        rows.push(r);
        limits.onRow?.(rows.length);
        row = null;
      }
    },
    text: (t) => {
      if (cell?.inValue) {
        cell.value += t;
        if (cell.value.length > MAX_CELL_CHARS) throw new XlsxLimitError('invalid', 'cell longer than Excel allows');
      }
    },
  });
  return rows;
}

// ---------------------------------------------------------------- writing

/** One column of a written sheet. */
export interface XlsxColumn {
  header: string;
  key: string;
  width?: number;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
// Characters XML 1.0 cannot hold (C0 controls other than tab, newline, return; lone surrogates).
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const esc = (s: string): string => s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function cellXml(ref: string, value: unknown, style: number): string {
  const s = style ? ` s="${style}"` : '';
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"${s}><v>${value}</v></c>`;
  if (typeof value === 'boolean') return `<c r="${ref}"${s} t="b"><v>${value ? 1 : 0}</v></c>`;
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${esc(text)}</t></is></c>`;
}

/**
 * Writes an .xlsx file sheet by sheet, row by row, through a streaming zip to disk: memory holds
 * one batch of rows, never the workbook. Values are written as given; escape formulas first.
 */
export class XlsxFileWriter {
  private readonly out: WriteStream;
  private readonly zip: Zip;
  private readonly done: Promise<void>;
  private readonly sheets: string[] = [];
  private current: { file: ZipDeflate; columns: XlsxColumn[]; rowNumber: number; batch: string[] } | null = null;

  constructor(path: string) {
    this.out = createWriteStream(path, { mode: 0o600 });
    this.done = new Promise((resolve, reject) => {
      this.out.on('finish', () => resolve());
      this.out.on('error', reject);
    });
    this.zip = new Zip((err, chunk, final) => {
      if (err) {
        this.out.destroy(err);
        return;
      }
      this.out.write(chunk);
      if (final) this.out.end();
    });
  }

  /** Starts a sheet (ending the previous one) and writes its bold header row. */
  addSheet(name: string, columns: XlsxColumn[]): void {
    this.endSheet();
    const safeName = name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || `Sheet${this.sheets.length + 1}`;
    this.sheets.push(safeName);
    const file = new ZipDeflate(`xl/worksheets/sheet${this.sheets.length}.xml`, { level: 6 });
    this.zip.add(file);
    const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 16}" customWidth="1"/>`).join('');
    file.push(Buffer.from(`${XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols>${cols}</cols><sheetData>`));
    this.current = { file, columns, rowNumber: 0, batch: [] };
    this.pushRow(columns.map((c) => c.header), 1);
  }

  private pushRow(values: unknown[], style: number): void {
    const cur = this.current!;
    const r = ++cur.rowNumber;
    cur.batch.push(`<row r="${r}">${values.map((v, i) => cellXml(`${colName(i)}${r}`, v, style)).join('')}</row>`);
    if (cur.batch.length >= 200) this.flush();
  }

  private flush(): void {
    const cur = this.current;
    if (!cur || !cur.batch.length) return;
    cur.file.push(Buffer.from(cur.batch.join('')));
    cur.batch = [];
  }

  /** Adds one row to the current sheet, taking each column's value by its key. */
  addRow(record: Record<string, unknown>): void {
    if (!this.current) throw new Error('addSheet first');
    this.pushRow(this.current.columns.map((c) => record[c.key]), 0);
  }

  private endSheet(): void {
    if (!this.current) return;
    this.flush();
    this.current.file.push(Buffer.from('</sheetData></worksheet>'), true);
    this.current = null;
  }

  private part(name: string, xml: string): void {
    const f = new ZipDeflate(name, { level: 6 });
    this.zip.add(f);
    f.push(Buffer.from(XML_HEAD + xml), true);
  }

  /** Writes the workbook parts and closes the file. */
  async finish(): Promise<void> {
    this.endSheet();
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    this.part('[Content_Types].xml', `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${this.sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`);
    this.part('_rels/.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
    this.part('xl/workbook.xml', `<workbook xmlns="${ns}" xmlns:r="${rel}"><sheets>${this.sheets.map((n, i) => `<sheet name="${esc(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`);
    this.part('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${this.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rId${this.sheets.length + 1}" Type="${rel}/styles" Target="styles.xml"/></Relationships>`);
    this.part('xl/styles.xml', `<styleSheet xmlns="${ns}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>`);
    this.zip.end();
    await this.done;
  }

  /** Stops writing (after a failure); the caller removes the file. */
  abort(): void {
    this.zip.terminate();
    this.out.destroy();
  }
}
