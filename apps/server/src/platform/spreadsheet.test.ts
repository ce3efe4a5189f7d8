import ExcelJS from 'exceljs';
import { Zip, ZipDeflate, zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '../http/app-error.js';
import { decodeCsv, MAX_IMPORT_ROWS, readTable } from './spreadsheet.js';

/*
 * Issue 21, findings 6 and 10: spreadsheets are read as a stream with the limits checked as the
 * data arrives (a zip bomb and a 300k-row file are refused early), and a GBK CSV whose bytes also
 * happen to be valid UTF-8 is read as GBK, not as mojibake.
 */

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const parts = (sheetXml: Uint8Array): Record<string, Uint8Array> => ({
  '[Content_Types].xml': strToU8(`${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`),
  '_rels/.rels': strToU8(`${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
  'xl/workbook.xml': strToU8(`${HEAD}<workbook xmlns="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
  'xl/_rels/workbook.xml.rels': strToU8(`${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
  'xl/worksheets/sheet1.xml': sheetXml,
});

/** An .xlsx whose sheet is `head`, then `repeat` written `times` times, then `tail`, deflated as a stream. */
async function streamedXlsx(head: string, repeat: string, times: number, tail: string): Promise<Buffer> {
  const out: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const zip = new Zip((err, chunk, final) => {
      if (err) reject(err);
      out.push(chunk);
      if (final) resolve();
    });
    for (const [name, data] of Object.entries(parts(new Uint8Array()))) {
      if (name === 'xl/worksheets/sheet1.xml') continue;
      const f = new ZipDeflate(name);
      zip.add(f);
      f.push(data, true);
    }
    const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 9 });
    zip.add(sheet);
    sheet.push(strToU8(head));
    const block = strToU8(repeat.repeat(Math.max(1, Math.floor((1 << 20) / repeat.length))));
    const perBlock = Math.max(1, Math.floor((1 << 20) / repeat.length));
    for (let n = 0; n < times; n += perBlock) sheet.push(n + perBlock <= times ? block : strToU8(repeat.repeat(times - n)));
    sheet.push(strToU8(tail), true);
    zip.end();
  });
  await done;
  return Buffer.concat(out);
}

/** Sets the declared uncompressed size of every central-directory entry (a lying zip). */
function lieAboutSizes(buf: Buffer, size: number): Buffer {
  const copy = Buffer.from(buf);
  for (let i = 0; i + 46 < copy.length; i++) if (copy.readUInt32LE(i) === 0x02014b50) copy.writeUInt32LE(size, i + 24);
  return copy;
}

const refusal = async (p: Promise<unknown>): Promise<AppError> => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

describe('xlsx limits, checked as the data arrives (finding 6)', () => {
  it('refuses a zip bomb (a few hundred KB inflating to 200 MB) quickly, with a Chinese problem', async () => {
    const MB200 = 200 * 1024 * 1024;
    const bomb = await streamedXlsx(`${HEAD}<worksheet xmlns="${NS}"><sheetData>`, ' '.repeat(1024), MB200 / 1024, '</sheetData></worksheet>');
    expect(bomb.length).toBeLessThan(400 * 1024);
    for (const file of [bomb, lieAboutSizes(bomb, 1000)]) {
      const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      const started = performance.now();
      const err = await refusal(readTable(file, 'bomb.xlsx'));
      const ms = performance.now() - started;
      expect(err.code).toBe('import.too_large');
      expect(err.status).toBe(400);
      expect(err.detail).toMatch(/解压后超过/);
      expect(ms, `refused after ${Math.round(ms)} ms`).toBeLessThan(2500);
      const grown = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore;
      expect(grown, `${Math.round(grown / 1024 / 1024)} MB allocated`).toBeLessThan(100 * 1024 * 1024);
    }
  }, 60_000);

  it('refuses 300,000 rows at the row limit, not after reading them all', async () => {
    let rowNumber = 1;
    const rowsXml = (n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) {
        rowNumber++;
        s += `<row r="${rowNumber}"><c r="A${rowNumber}" t="inlineStr"><is><t>客户${rowNumber}</t></is></c></row>`;
      }
      return s;
    };
    const body = rowsXml(300_000);
    const file = Buffer.from(zipSync(parts(strToU8(`${HEAD}<worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>${body}</sheetData></worksheet>`))));
    let seen = 0;
    const err = await refusal(readTable(file, 'many.xlsx', { onRow: (n) => void (seen = n) }));
    expect(err.code).toBe('import.invalid_file');
    expect(err.detail).toContain(`一次最多导入 ${MAX_IMPORT_ROWS} 行`);
    expect(seen).toBeLessThanOrEqual(MAX_IMPORT_ROWS + 1);
    expect(seen).toBeGreaterThan(MAX_IMPORT_ROWS / 2);
  }, 60_000);

  it('refuses a 300,000-row CSV at the row limit', async () => {
    const csv = Buffer.from(`姓名,手机号\n${Array.from({ length: 300_000 }, (_, i) => `客户${i},1380000${String(i).padStart(4, '0')}`).join('\n')}`);
    let seen = 0;
    const err = await refusal(readTable(csv, 'many.csv', { onRow: (n) => void (seen = n) }));
    expect(err.detail).toContain(`一次最多导入 ${MAX_IMPORT_ROWS} 行`);
    expect(seen).toBeLessThanOrEqual(MAX_IMPORT_ROWS + 1);
  });

  it('still reads what Excel writes: shared strings, numbers, dates, formulas flagged, empty rows skipped', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('客户');
    ws.addRow(['姓名', '手机号', '金额', '日期', '公式', '登记时间']);
    ws.addRow(['王小明', '13800001111', 12.5, new Date('2026-01-31T00:00:00Z'), { formula: 'A1&B1' }, new Date('2025-03-01T14:30:00Z')]);
    ws.getCell('F2').numFmt = 'yyyy-mm-dd hh:mm';
    ws.addRow([]);
    ws.addRow(['李四', '', 3]);
    const table = await readTable(Buffer.from(await wb.xlsx.writeBuffer()), 'a.xlsx');
    expect(table.headers).toEqual(['姓名', '手机号', '金额', '日期', '公式', '登记时间']);
    expect(table.rows.map((r) => r.rowNumber)).toEqual([2, 4]);
    // Excel keeps dates as day numbers with a date format: they read as the dates shown.
    expect(table.rows[0]!.cells).toEqual(['王小明', '13800001111', '12.5', '2026-01-31', '', '2025-03-01 14:30']);
    expect(table.rows[0]!.formulaColumns).toEqual([4]);
    expect(table.rows[1]!.cells).toEqual(['李四', '', '3', '', '', '']);
  });

  it('refuses a file that is not a zip as an invalid Excel file', async () => {
    const err = await refusal(readTable(Buffer.from('not a spreadsheet at all'), 'x.xlsx'));
    expect(err.code).toBe('import.invalid_file');
  });
});

/** GBK bytes of a text, from the GB18030 decoder's own table (GBK is its two-byte part). */
function gbk(text: string): Buffer {
  const dec = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++) for (let lo = 0x40; lo <= 0xfe; lo++) if (lo !== 0x7f) table.set(dec.decode(Uint8Array.of(hi, lo)), [hi, lo]);
  return Buffer.from([...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch)!)));
}

describe('CSV encodings (finding 10)', () => {
  it('reads GBK whose bytes are also valid UTF-8 as GBK, not as mojibake', () => {
    // 郑伟 in GBK is D6 A3 CE B0: two valid UTF-8 sequences (֣ΰ, Hebrew and Greek).
    const bytes = gbk('name,phone\r\n郑伟,13800001111\r\n郑强,13800002222\r\n郑英,13800003333\r\n');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
    const { text, encoding } = decodeCsv(bytes);
    expect(encoding).toBe('gb18030');
    expect(text).toContain('郑伟,13800001111');
  });

  it('reads GBK with Chinese headers, and UTF-8 with or without a BOM', async () => {
    const g = await readTable(gbk('姓名,手机号,楼栋,房号\r\n王小明,13800001111,1,101\r\n欧阳娜娜,13800002222,2,202\r\n'), 'a.csv');
    expect(g.encoding).toBe('gb18030');
    expect(g.headers).toEqual(['姓名', '手机号', '楼栋', '房号']);
    expect(g.rows.map((r) => r.cells[0])).toEqual(['王小明', '欧阳娜娜']);
    const u = await readTable(Buffer.from('姓名,手机号\n郑伟,13800001111\n'), 'a.csv');
    expect(u.encoding).toBe('utf-8');
    expect(u.rows[0]!.cells[0]).toBe('郑伟');
    const bom = await readTable(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('姓名\n郑伟\n')]), 'a.csv');
    expect(bom.headers).toEqual(['姓名']);
  });

  it('refuses bytes that read as neither UTF-8 nor GBK Chinese, with a Chinese message', async () => {
    const latin1 = Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0xfd, 0x80, 0x0a]);
    const err = await refusal(readTable(Buffer.concat([Buffer.from('x'), latin1]), 'a.csv'));
    expect(err.detail).toMatch(/编码无法识别/);
  });
});
