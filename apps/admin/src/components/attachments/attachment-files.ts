import { uploadWithProgress, type UploadStage } from '../../lib/upload';

/** An attachment as the API presents it. */
export interface AttachmentInfo {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/** The server's limit (platform/files.ts MAX_ATTACHMENT_BYTES). */
export const MAX_ATTACHMENT_MB = 10;
const MAX_BYTES = MAX_ATTACHMENT_MB * 1024 * 1024;

/** The extensions the server accepts (it checks the content too). */
const ALLOWED_EXT = ['.jpg', '.jpeg', '.png', '.gif', '.webp', '.pdf', '.docx', '.xlsx'];
export const ACCEPT = ALLOWED_EXT.join(',') + ',image/*';

/** Photos larger than this, or wider/higher than MAX_SIDE, are re-encoded as JPEG before upload. */
const COMPRESS_ABOVE = 1.5 * 1024 * 1024;
const MAX_SIDE = 2560;

export const attachmentUrl = (id: string): string => `/api/attachments/${id}`;
export const isImage = (contentType: string): boolean => contentType.startsWith('image/');

const extOf = (name: string): string => name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? '';

/** A readable size: 834 KB, 2.4 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Why a file cannot be sent, or null. */
export type FileProblem = { kind: 'type' | 'size' | 'unreadable'; name: string };

function loadImage(file: File): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      resolve(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('unreadable'));
    };
    img.src = url;
  });
}

/** Re-encodes a photo as JPEG, at most MAX_SIDE pixels on its long side. */
async function toJpeg(file: File): Promise<File> {
  const img = await loadImage(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(img.naturalWidth * scale);
  canvas.height = Math.round(img.naturalHeight * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('unreadable');
  ctx.fillStyle = '#fff'; // a transparent PNG screenshot must not turn black
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.82));
  if (!blob) throw new Error('unreadable');
  const base = file.name.replace(/\.[^.]*$/, '') || 'photo';
  return new File([blob], `${base}.jpg`, { type: 'image/jpeg', lastModified: file.lastModified });
}

/**
 * Makes a file ready to send: a photo in a format the server does not take (HEIC from a
 * phone camera) or too big is compressed to JPEG; anything else must be of an accepted
 * type and within the limit.
 */
export async function prepareFile(file: File): Promise<{ file: File } | { problem: FileProblem }> {
  const name = file.name || 'image.png';
  const named = file.name ? file : new File([file], name, { type: file.type });
  const ext = extOf(name);
  const convertible = file.type.startsWith('image/') && file.type !== 'image/gif' && file.type !== 'image/svg+xml';
  const acceptedExt = ALLOWED_EXT.includes(ext);
  if (convertible && (!acceptedExt || file.size > COMPRESS_ABOVE)) {
    try {
      const jpeg = await toJpeg(named);
      // A small PNG screenshot may grow as JPEG: keep the smaller of the two when both are allowed.
      const out = acceptedExt && jpeg.size >= file.size ? named : jpeg;
      if (out.size > MAX_BYTES) return { problem: { kind: 'size', name } };
      return { file: out };
    } catch {
      if (!acceptedExt) return { problem: { kind: 'unreadable', name } };
    }
  }
  if (!acceptedExt) return { problem: { kind: 'type', name } };
  if (file.size > MAX_BYTES) return { problem: { kind: 'size', name } };
  if (file.size === 0) return { problem: { kind: 'unreadable', name } };
  return { file: named };
}

/** POSTs one file to an attachments endpoint (`/api/tickets/:id/attachments`, `/api/work-orders/:id/attachments`). */
export function uploadAttachment(path: string, file: File, onStage?: (s: UploadStage) => void): Promise<AttachmentInfo> {
  const formData = new FormData();
  formData.append('file', file, file.name);
  return uploadWithProgress<AttachmentInfo>(path, { formData, onStage });
}
