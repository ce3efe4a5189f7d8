import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, ImageUploader, NavBar, Selector, TextArea, Toast, type ImageUploadItem } from 'antd-mobile';
import { PORTAL_DESCRIPTION_MAX, PORTAL_PHOTOS_MAX } from '@qiaoliang/shared';
import { api, ApiError, photoUrl } from '../api';
import { TX } from '../texts';
import { Failed, Loading, useLoad } from '../ui';

const DRAFT_KEY = 'ql-portal-report-draft';
const TYPES = ['repair', 'complaint', 'inquiry', 'suggestion', 'praise'] as const;

interface Draft {
  type: string;
  place: string;
  categoryId: string;
  description: string;
  photos: ImageUploadItem[];
  visitFrom: string;
  visitTo: string;
  key: string;
}
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);
const emptyDraft = (): Draft => ({ type: 'repair', place: '', categoryId: '', description: '', photos: [], visitFrom: '', visitTo: '', key: newKey() });
function loadDraft(): Draft {
  try {
    return { ...emptyDraft(), ...(JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') ?? {}) };
  } catch {
    return emptyDraft();
  }
}

/** A phone photo scaled to at most 1600 px and re-encoded as JPEG (a 4 MB photo becomes ~300 KB). */
async function compress(file: File): Promise<Blob> {
  if (!file.type.startsWith('image/') || file.type === 'image/gif') return file;
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bmp.width * scale);
    canvas.height = Math.round(bmp.height * scale);
    canvas.getContext('2d')!.drawImage(bmp, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.8));
    return blob && blob.size < file.size ? blob : file;
  } catch {
    return file;
  }
}

/** 报事报修: the form keeps its draft (and uploaded photos) until it is sent. */
export default function Report() {
  const navigate = useNavigate();
  const [d, setD] = useState<Draft>(loadDraft);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const data = useLoad(() => Promise.all([api.me(), api.categories(), api.commonAreas()]));
  useEffect(() => localStorage.setItem(DRAFT_KEY, JSON.stringify(d)), [d]);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));

  const [me, cats, areas] = data.data ?? [null, [], []];
  const homes = useMemo(() => (me?.homes ?? []).filter((h) => h.mayReport), [me]);
  useEffect(() => {
    if (!d.place && homes[0]) set({ place: `unit:${homes[0].unitId}` });
  }, [homes, d.place]);
  const typeCats = cats.filter((c) => c.type === d.type);

  if (data.loading && !data.data) return <Loading />;
  if (data.error) return <Failed error={data.error} onRetry={data.reload} />;

  const submit = async () => {
    setErrors({});
    const [kind, id] = d.place.split(':');
    const body: Record<string, unknown> = { type: d.type, description: d.description, photoIds: d.photos.map((p) => p.extra as string) };
    if (kind === 'unit') body.unitId = id;
    if (kind === 'area') body.commonAreaId = id;
    if (d.categoryId) body.categoryId = d.categoryId;
    if (d.type === 'repair' && d.visitFrom && d.visitTo) {
      body.visitFrom = new Date(d.visitFrom).toISOString();
      body.visitTo = new Date(d.visitTo).toISOString();
    }
    setBusy(true);
    try {
      const m = await api.report(body, d.key);
      localStorage.removeItem(DRAFT_KEY);
      Toast.show({ icon: 'success', content: TX.report.sent });
      navigate(`/matters/${m.id}`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError) {
        setErrors(Object.fromEntries([['form', e.message], ...e.fields.map((f) => [f.field, f.message])]));
      } else setErrors({ form: String(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <NavBar onBack={() => navigate('/')} backArrow>{TX.report.title}</NavBar>
      <div className="page">
        <div className="card" style={{ padding: 16 }}>
          <span className="field-label" id="type-label">{TX.report.type}</span>
          <div role="radiogroup" aria-labelledby="type-label">
            <Selector columns={3} options={TYPES.map((t) => ({ label: TX.types[t]!, value: t }))} value={[d.type]}
              onChange={(v) => v[0] && set({ type: v[0], categoryId: '' })} />
          </div>

          <label className="field-label" htmlFor="place" style={{ marginTop: 16 }}>{TX.report.place}</label>
          <select id="place" className="native-input" value={d.place} onChange={(e) => set({ place: e.target.value })}>
            <optgroup label={TX.report.unit}>
              {homes.map((h) => <option key={h.unitId} value={`unit:${h.unitId}`}>{h.projectName} {h.buildingName} {h.roomNumber}</option>)}
            </optgroup>
            {areas.length > 0 && (
              <optgroup label={TX.report.commonArea}>
                {areas.map((a) => <option key={a.id} value={`area:${a.id}`}>{a.name}</option>)}
              </optgroup>
            )}
          </select>
          {errors.unitId && <p className="error" role="alert">{errors.unitId}</p>}

          <label className="field-label" htmlFor="category" style={{ marginTop: 16 }}>{TX.report.category}</label>
          <select id="category" className="native-input" value={d.categoryId} onChange={(e) => set({ categoryId: e.target.value })}>
            <option value="">（不选）</option>
            {typeCats.map((c) => <option key={c.id} value={c.id}>{c.parentId ? '　' : ''}{c.name}</option>)}
          </select>

          <label className="field-label" htmlFor="description" style={{ marginTop: 16 }}>{TX.report.description}</label>
          <TextArea id="description" placeholder={TX.report.descriptionPlaceholder} value={d.description} onChange={(v) => set({ description: v })}
            maxLength={PORTAL_DESCRIPTION_MAX} showCount rows={4} style={{ '--font-size': '16px' } as React.CSSProperties} />
          {errors.description && <p className="error" role="alert">{errors.description}</p>}

          <span className="field-label" id="photos-label" style={{ marginTop: 16 }}>{TX.report.photos}</span>
          <div aria-labelledby="photos-label" role="group">
            <ImageUploader value={d.photos} onChange={(photos) => set({ photos })} maxCount={PORTAL_PHOTOS_MAX} multiple accept="image/*"
              upload={async (file) => {
                const blob = await compress(file);
                try {
                  const p = await api.uploadPhoto(blob, blob === file ? file.name : 'photo.jpg');
                  return { url: photoUrl(p.id), extra: p.id };
                } catch (e) {
                  Toast.show({ content: e instanceof ApiError ? e.message : '上传失败' });
                  throw e;
                }
              }} />
          </div>
          {errors.photoIds && <p className="error" role="alert">{errors.photoIds}</p>}

          {d.type === 'repair' && (
            <>
              <label className="field-label" htmlFor="visitFrom" style={{ marginTop: 16 }}>{TX.report.visitFrom}</label>
              <input id="visitFrom" type="datetime-local" className="native-input" value={d.visitFrom} onChange={(e) => set({ visitFrom: e.target.value })} />
              <label className="field-label" htmlFor="visitTo" style={{ marginTop: 12 }}>{TX.report.visitTo}</label>
              <input id="visitTo" type="datetime-local" className="native-input" value={d.visitTo} onChange={(e) => set({ visitTo: e.target.value })} />
              {(errors.visitFrom || errors.visitTo) && <p className="error" role="alert">{errors.visitFrom ?? errors.visitTo}</p>}
            </>
          )}
        </div>
        {errors.form && <p className="error" role="alert">{errors.form}</p>}
        <Button block color="primary" size="large" loading={busy} onClick={submit}>{TX.report.submit}</Button>
        <p className="muted" style={{ textAlign: 'center' }}>{TX.report.draftKept}</p>
      </div>
    </main>
  );
}
