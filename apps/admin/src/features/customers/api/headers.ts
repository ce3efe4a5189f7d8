/**
 * Reads the header row of an import file in the browser, to offer the column mapping before
 * anything is uploaded: the first line of a CSV, or the first row of an .xlsx's first sheet
 * (a zip archive, unpacked with the browser's DecompressionStream). Returns null when the
 * file cannot be read this way; the server stays the judge of the file.
 */
export async function readHeaders(file: File): Promise<string[] | null> {
  try {
    const name = file.name.toLowerCase();
    if (name.endsWith('.csv')) return csvHeaders(await file.slice(0, 64 * 1024).text());
    if (name.endsWith('.xlsx')) return await xlsxHeaders(new Uint8Array(await file.arrayBuffer()));
  } catch {
    // unreadable here; the dry run reports what is wrong
  }
  return null;
}

/** The first record of an RFC 4180 CSV. */
export function csvHeaders(text: string): string[] {
  const s = text.replace(/^\uFEFF/, '');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      out.push(field.trim());
      field = '';
    } else if (ch === '\n' || ch === '\r') break;
    else field += ch;
  }
  out.push(field.trim());
  return out.filter((h) => h !== '');
}

interface ZipEntry {
  method: number;
  compressedSize: number;
  offset: number;
}

/** The entries of a zip archive, from its central directory. */
function zipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip');
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new Error('bad central directory');
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const offset = view.getUint32(p + 42, true);
    entries.set(decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen)), { method, compressedSize, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

async function unzipText(bytes: Uint8Array, entry: ZipEntry): Promise<string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  const data = bytes.slice(start, start + entry.compressedSize);
  if (entry.method === 0) return new TextDecoder().decode(data);
  if (entry.method !== 8) throw new Error('unsupported compression');
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

const xml = (text: string) => new DOMParser().parseFromString(text, 'application/xml');
const byTag = (node: Document | Element, tag: string) => Array.from(node.getElementsByTagNameNS('*', tag));
/** The text of a shared or inline string, without its phonetic (rPh) runs. */
const textOf = (node: Element) =>
  byTag(node, 't')
    .filter((t) => t.parentElement?.localName !== 'rPh')
    .map((t) => t.textContent ?? '')
    .join('');

/** "C1" → 2. */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

async function xlsxHeaders(bytes: Uint8Array): Promise<string[]> {
  const entries = zipEntries(bytes);
  const read = async (path: string) => {
    const e = entries.get(path);
    return e ? xml(await unzipText(bytes, e)) : null;
  };
  // The first sheet of the workbook, through its relationship; sheet1.xml when that fails.
  let sheetPath = 'xl/worksheets/sheet1.xml';
  const [workbook, rels] = await Promise.all([read('xl/workbook.xml'), read('xl/_rels/workbook.xml.rels')]);
  const firstSheet = workbook ? byTag(workbook, 'sheet')[0] : undefined;
  const rid = firstSheet?.getAttribute('r:id') ?? firstSheet?.getAttributeNS('http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'id');
  const target = rid && rels ? byTag(rels, 'Relationship').find((r) => r.getAttribute('Id') === rid)?.getAttribute('Target') : null;
  if (target) sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  const [sheet, shared] = await Promise.all([read(sheetPath), read('xl/sharedStrings.xml')]);
  if (!sheet) throw new Error('no sheet');
  const strings = shared ? byTag(shared, 'si').map(textOf) : [];
  const row = byTag(sheet, 'row').find((r) => r.getAttribute('r') === '1') ?? byTag(sheet, 'row')[0];
  if (!row) return [];
  const headers: string[] = [];
  for (const c of byTag(row, 'c')) {
    const type = c.getAttribute('t');
    const v = byTag(c, 'v')[0]?.textContent ?? '';
    const text = type === 's' ? (strings[Number(v)] ?? '') : type === 'inlineStr' ? textOf(c) : v;
    const ref = c.getAttribute('r');
    headers[ref ? columnIndex(ref) : headers.length] = text.trim();
  }
  return Array.from(headers, (h) => h ?? '').filter((h) => h !== '');
}
