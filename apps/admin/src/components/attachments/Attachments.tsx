import { CameraOutlined, CloseOutlined, DownloadOutlined, FileOutlined, InboxOutlined } from '@ant-design/icons';
import { App, Button, Flex, Image, Progress, Typography, Upload } from 'antd';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { isApiError } from '../../lib/api';
import { T } from '../../lib/texts';
import { UI } from '../../lib/texts-ui';
import { ACCEPT, attachmentUrl, formatSize, isImage, MAX_ATTACHMENT_MB, prepareFile, uploadAttachment, type AttachmentInfo, type FileProblem } from './attachment-files';

const A = UI.attachments;
const THUMB = 88;

function problemText(p: FileProblem): string {
  if (p.kind === 'size') return A.tooBig(p.name, MAX_ATTACHMENT_MB);
  if (p.kind === 'type') return A.badType(p.name);
  return A.compressFailed(p.name);
}

const errorText = (e: unknown): string => (isApiError(e) ? e.text : T.errors.network);

/**
 * Where files come in: click to choose, drag and drop, paste (Ctrl+V of a screenshot or a
 * copied photo anywhere in the same page or dialog), and the phone's camera. Files are checked
 * and big photos compressed before `onFiles` sees them; refusals are told in Chinese.
 */
export function AttachmentDropzone({ onFiles, disabled, compact }: { onFiles: (files: File[]) => void; disabled?: boolean; compact?: boolean }) {
  const { message } = App.useApp();
  const root = useRef<HTMLDivElement>(null);
  const camera = useRef<HTMLInputElement>(null);
  const onFilesRef = useRef(onFiles);
  onFilesRef.current = onFiles;

  const accept = async (raw: File[]) => {
    const ready: File[] = [];
    for (const f of raw) {
      const r = await prepareFile(f);
      if ('problem' in r) void message.error(problemText(r.problem));
      else ready.push(r.file);
    }
    if (ready.length) onFilesRef.current(ready);
  };
  const acceptRef = useRef(accept);
  acceptRef.current = accept;

  // A paste belongs to the dropzone of the dialog (or page) it happens in.
  useEffect(() => {
    if (disabled) return;
    const onPaste = (e: ClipboardEvent) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (!files.length || !root.current) return;
      const target = e.target instanceof Element ? e.target : null;
      const scopeOf = (el: Element | null) => el?.closest('.ant-modal, .ant-drawer') ?? null;
      if (scopeOf(target) !== scopeOf(root.current)) return;
      e.preventDefault();
      void acceptRef.current(files);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [disabled]);

  return (
    <div ref={root}>
      <Upload.Dragger
        multiple
        accept={ACCEPT}
        disabled={disabled}
        showUploadList={false}
        // Each file of a multiple choice comes here; take the batch once, at its first file.
        beforeUpload={(file, list) => {
          if (file === list[0]) void accept(list as File[]);
          return Upload.LIST_IGNORE;
        }}
        style={{ padding: compact ? 0 : undefined }}
      >
        <span className="sr-only">{A.pickLabel}</span>
        {compact ? null : (
          <p className="ant-upload-drag-icon" style={{ marginBottom: 8 }}>
            <InboxOutlined aria-hidden />
          </p>
        )}
        <p className="ant-upload-text" style={{ fontSize: 14 }}>
          {A.dropHint}
        </p>
        <p className="ant-upload-hint">{A.typesHint(MAX_ATTACHMENT_MB)}</p>
      </Upload.Dragger>
      <input
        ref={camera}
        type="file"
        accept="image/*"
        capture="environment"
        hidden
        aria-hidden
        tabIndex={-1}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void accept(files);
        }}
      />
      <Button icon={<CameraOutlined />} aria-label={A.cameraLabel} disabled={disabled} onClick={() => camera.current?.click()} style={{ marginTop: 8 }}>
        {A.camera}
      </Button>
    </div>
  );
}

/** One thumbnail: a photo opens in the preview, a file shows its name; both download. */
function Thumb({ name, size, src, image, href, onRemove, children }: { name: string; size: number; src?: string; image: boolean; href?: string; onRemove?: () => void; children?: ReactNode }) {
  return (
    <Flex vertical gap={4} style={{ width: THUMB + 8 }} data-testid="attachment" data-filename={name}>
      <div style={{ position: 'relative', width: THUMB, height: THUMB }}>
        {image && src ? (
          <Image
            src={src}
            alt={name}
            width={THUMB}
            height={THUMB}
            style={{ objectFit: 'cover', borderRadius: 6, border: '1px solid #d9d9d9' }}
          />
        ) : (
          <Flex align="center" justify="center" style={{ width: THUMB, height: THUMB, borderRadius: 6, border: '1px solid #d9d9d9', background: '#fafafa' }}>
            <FileOutlined style={{ fontSize: 32, color: '#595959' }} aria-hidden />
          </Flex>
        )}
        {children}
      </div>
      <Typography.Text ellipsis={{ tooltip: name }} style={{ fontSize: 12, width: THUMB }}>
        {name}
      </Typography.Text>
      <Flex gap={4} align="center">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatSize(size)}
        </Typography.Text>
        {href ? (
          <a href={href} download={name} aria-label={A.download(name)} title={A.download(name)}>
            <DownloadOutlined />
          </a>
        ) : null}
        {onRemove ? <Button type="text" size="small" danger icon={<CloseOutlined />} aria-label={A.remove(name)} title={A.remove(name)} onClick={onRemove} /> : null}
      </Flex>
    </Flex>
  );
}

/** Stored attachments as thumbnails, photos in one preview group. */
export function AttachmentGallery({ items }: { items: AttachmentInfo[] }) {
  if (!items.length) return <Typography.Text type="secondary">{A.none}</Typography.Text>;
  return (
    <Image.PreviewGroup>
      <Flex wrap gap={12} role="list" aria-label={A.title}>
        {items.map((a) => (
          <div role="listitem" key={a.id}>
            <Thumb name={a.filename} size={a.size} image={isImage(a.contentType)} src={attachmentUrl(a.id)} href={attachmentUrl(a.id)} />
          </div>
        ))}
      </Flex>
    </Image.PreviewGroup>
  );
}

interface InFlight {
  key: string;
  file: File;
  percent: number;
}

/**
 * A record's attachments with an upload zone: files go up at once, with progress, and
 * `onUploaded` refreshes the record. Without `uploadPath` (no right to add) only the gallery.
 */
export function AttachmentsPanel({ items, uploadPath, onUploaded }: { items: AttachmentInfo[]; uploadPath?: string; onUploaded?: (a: AttachmentInfo) => void }) {
  const { message } = App.useApp();
  const [inFlight, setInFlight] = useState<InFlight[]>([]);
  const seq = useRef(0);

  const send = (files: File[]) => {
    if (!uploadPath) return;
    for (const file of files) {
      const key = `u${++seq.current}`;
      setInFlight((l) => [...l, { key, file, percent: 0 }]);
      uploadAttachment(uploadPath, file, (s) => setInFlight((l) => l.map((x) => (x.key === key ? { ...x, percent: s.stage === 'uploading' ? s.percent : 100 } : x))))
        .then((a) => {
          void message.success(A.uploaded(a.filename));
          onUploaded?.(a);
        })
        .catch((e: unknown) => void message.error(A.failed(file.name, errorText(e))))
        .finally(() => setInFlight((l) => l.filter((x) => x.key !== key)));
    }
  };

  return (
    <Flex vertical gap={12}>
      <AttachmentGallery items={items} />
      {inFlight.length ? (
        <Flex vertical gap={4}>
          {inFlight.map((u) => (
            <Flex key={u.key} gap={8} align="center">
              <Typography.Text style={{ fontSize: 12 }}>{u.file.name}</Typography.Text>
              <Progress percent={u.percent} size="small" style={{ flex: 1, margin: 0 }} aria-label={A.uploading(u.file.name)} />
            </Flex>
          ))}
        </Flex>
      ) : null}
      {uploadPath ? <AttachmentDropzone onFiles={send} compact /> : null}
    </Flex>
  );
}

/** A local preview URL for a chosen file, released when it is gone. */
function useObjectUrl(file: File): string | undefined {
  const url = useMemo(() => (file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined), [file]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

function PendingThumb({ file, onRemove }: { file: File; onRemove: () => void }) {
  const url = useObjectUrl(file);
  return <Thumb name={file.name} size={file.size} image={!!url} src={url} onRemove={onRemove} />;
}

/**
 * Files chosen in a form that does not exist yet on the server (a new ticket, a work-order
 * report): a form control (`value`/`onChange`); the form sends them with `uploadAll` once saved.
 */
export function PendingAttachments({ value = [], onChange }: { value?: File[]; onChange?: (files: File[]) => void }) {
  return (
    <Flex vertical gap={8}>
      {value.length ? (
        <Image.PreviewGroup>
          <Flex wrap gap={12} aria-label={A.pending(value.length)} role="list">
            {value.map((f, i) => (
              <div role="listitem" key={`${f.name}-${f.size}-${f.lastModified}-${i}`}>
                <PendingThumb file={f} onRemove={() => onChange?.(value.filter((_, j) => j !== i))} />
              </div>
            ))}
          </Flex>
        </Image.PreviewGroup>
      ) : null}
      <AttachmentDropzone compact onFiles={(files) => onChange?.([...value, ...files])} />
    </Flex>
  );
}

/** Sends chosen files one after another; the messages name the files that failed. */
export async function uploadAll(path: string, files: File[], notify: (failed: string) => void): Promise<AttachmentInfo[]> {
  const done: AttachmentInfo[] = [];
  for (const f of files) {
    try {
      done.push(await uploadAttachment(path, f));
    } catch (e) {
      notify(A.failed(f.name, errorText(e)));
    }
  }
  return done;
}
