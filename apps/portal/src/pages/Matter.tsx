import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button, NavBar, Rate, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { api, ApiError, photoUrl } from '../api';
import { TX } from '../texts';
import { Failed, Loading, useLoad } from '../ui';

const SATISFACTION: Record<number, string> = { 5: '非常满意', 4: '满意', 3: '一般', 2: '不满意', 1: '非常不满意' };
const time = (s: string) => new Date(s).toLocaleString('zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** One matter: progress in owner language, photos, and the rating once resolved. */
export default function Matter() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const m = useLoad(() => api.matter(id), [id]);
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (m.loading && !m.data) return <Loading />;
  if (m.error) return <Failed error={m.error} onRetry={m.reload} />;
  const x = m.data!;

  const rate = async () => {
    if (!stars) return setError('请选择 1–5 星');
    setBusy(true);
    setError(null);
    try {
      await api.rate(x.id, stars, comment.trim());
      Toast.show({ icon: 'success', content: '感谢您的评价' });
      m.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <NavBar onBack={() => navigate('/')}>{x.number}</NavBar>
      <div className="page">
        <div className="card" style={{ padding: 16 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <strong>{x.typeLabel}{x.categoryName ? ` · ${x.categoryName}` : ''}</strong>
            <Tag color="primary" aria-label={`当前状态：${x.stageLabel}`}>{x.stageLabel}</Tag>
          </div>
          <p style={{ whiteSpace: 'pre-wrap' }}>{x.description}</p>
          <p className="muted">{x.place}</p>
          <p className="muted">{TX.matter.handler}：{x.handlerName}</p>
          {x.expectedBy && <p className="muted">{TX.matter.expectedBy}：{time(x.expectedBy)}</p>}
          {x.visitFrom && x.visitTo && <p className="muted">{TX.matter.visit}：{time(x.visitFrom)} – {time(x.visitTo)}</p>}
        </div>
        {x.photos.length > 0 && (
          <div className="card">
            <h2>{TX.matter.photos}</h2>
            <div className="photos">{x.photos.map((p, i) => <img key={p.id} src={photoUrl(p.id)} alt={`照片 ${i + 1}`} />)}</div>
          </div>
        )}
        <div className="card">
          <h2>{TX.matter.progress}</h2>
          <Steps direction="vertical" current={x.timeline.length - 1}>
            {x.timeline.map((e, i) => (
              <Steps.Step key={i} title={e.title} status={i === x.timeline.length - 1 ? 'process' : 'finish'}
                description={<>{e.text && <span style={{ display: 'block', color: '#333' }}>{e.text}</span>}<span>{time(e.at)}</span></>} />
            ))}
          </Steps>
        </div>
        {x.mayRate && (
          <div className="card" style={{ padding: 16 }}>
            <span className="field-label" id="rate-label">{TX.matter.rate}</span>
            <div role="radiogroup" aria-labelledby="rate-label" className="stars">
              {[1, 2, 3, 4, 5].map((n) => (
                <button key={n} type="button" role="radio" aria-checked={stars === n} aria-label={`${n} 星：${SATISFACTION[n]}`}
                  className={n <= stars ? 'star on' : 'star'} onClick={() => setStars(n)}>★</button>
              ))}
              {stars > 0 && <span className="muted">{SATISFACTION[stars]}</span>}
            </div>
            <label className="field-label" htmlFor="comment" style={{ marginTop: 12 }}>{TX.matter.comment}</label>
            <TextArea id="comment" value={comment} onChange={setComment} maxLength={500} showCount rows={3} />
            {error && <p className="error" role="alert">{error}</p>}
            <Button block color="primary" size="large" loading={busy} onClick={rate} style={{ marginTop: 12 }}>{TX.matter.submitRate}</Button>
          </div>
        )}
        {x.rating && (
          <div className="card" style={{ padding: 16 }}>
            <span className="field-label">{TX.matter.rated}</span>
            <Rate readOnly value={x.rating.satisfaction} />
            {x.rating.comment && <p>{x.rating.comment}</p>}
          </div>
        )}
      </div>
    </main>
  );
}
