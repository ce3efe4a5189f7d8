import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../http/app-error.js';

/** Largest attachment accepted. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The file types accepted, recognized by their first bytes, never by the name or the client's word. */
const KINDS: { type: string; ext: string[]; magic: (b: Buffer) => boolean }[] = [
  { type: 'image/jpeg', ext: ['.jpg', '.jpeg'], magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', ext: ['.png'], magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/gif', ext: ['.gif'], magic: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  { type: 'image/webp', ext: ['.webp'], magic: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'application/pdf', ext: ['.pdf'], magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: ['.docx'], magic: (b) => b[0] === 0x50 && b[1] === 0x4b },
  { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: ['.xlsx'], magic: (b) => b[0] === 0x50 && b[1] === 0x4b },
];

export interface StoredFile {
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  filename: string;
}

/**
 * Bidirectional formatting characters: a right-to-left override makes `invoice\u202Egnp.exe`
 * show as `invoiceexe.png` (security finding 11). They have no use in a file name.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A file name safe to store and to send back: no path, no control or bidi characters, bounded length. */
export function safeFilename(name: string): string {
  const base = [...name.replace(BIDI_CONTROLS, '').replace(/^.*[\\/]/, '')].map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || '"<>|:*?'.includes(ch) ? '_' : ch)).join('').trim();
  return (base || '附件').slice(-120);
}

/**
 * Checks an upload's type by its content and its size, then stores it under the data
 * directory by a key made from its id (never from the client's name). Written to a temporary
 * name first, then renamed, so a crash never leaves a half file under the final key.
 */
export function storeFile(dataDir: string, id: string, filename: string, data: Buffer): StoredFile {
  if (data.length === 0) throw new AppError(400, 'attachment.invalid', '文件是空的', [{ field: 'file', message: '文件为空' }]);
  if (data.length > MAX_ATTACHMENT_BYTES) throw new AppError(413, 'request.too_large', `附件不能超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
  const name = safeFilename(filename);
  const ext = name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? '';
  const kind = KINDS.find((k) => k.ext.includes(ext) && k.magic(data));
  if (!kind) {
    throw new AppError(415, 'attachment.invalid', '只接受 JPG、PNG、GIF、WEBP 图片和 PDF、Word (.docx)、Excel (.xlsx) 文件，且内容须与扩展名一致', [{ field: 'file', message: '文件类型不允许' }]);
  }
  const storageKey = storageKeyOf(id);
  const path = storedFilePath(dataDir, storageKey);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, data, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return { contentType: kind.type, size: data.length, sha256: createHash('sha256').update(data).digest('hex'), storageKey, filename: name };
}

/** Reads a stored file back. */
export function readStoredFile(dataDir: string, storageKey: string): Buffer {
  return readFileSync(storedFilePath(dataDir, storageKey));
}

/** The storage key of a file by its id: two levels of directories keep each one small. */
export const storageKeyOf = (id: string): string => `${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`;

/** Where a stored file lives on disk. */
export const storedFilePath = (dataDir: string, storageKey: string): string => join(dataDir, 'files', storageKey);

/**
 * A path to write a generated file to (an export), its directory made: write to the returned
 * `tmp`, then `commit()` renames it under the final key, so a crash never leaves a half file there.
 */
export function prepareGeneratedFile(dataDir: string, id: string): { storageKey: string; tmp: string; commit(): void; discard(): void } {
  const storageKey = storageKeyOf(id);
  const path = storedFilePath(dataDir, storageKey);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  return { storageKey, tmp, commit: () => renameSync(tmp, path), discard: () => rmSync(tmp, { force: true }) };
}

/** Removes a stored file; a missing one is fine (cleanup may run twice). */
export function deleteStoredFile(dataDir: string, storageKey: string): void {
  rmSync(storedFilePath(dataDir, storageKey), { force: true });
}
