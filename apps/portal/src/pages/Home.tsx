import { useNavigate } from 'react-router';
import { Badge, Button, List, Tag } from 'antd-mobile';
import { api } from '../api';
import { TX } from '../texts';
import { Empty, Failed, Loading, useLoad } from '../ui';

const STAGE_COLORS: Record<string, string> = { accepted: 'primary', in_progress: 'warning', replied: 'primary', resolved: 'success', to_rate: 'danger', done: 'default', cancelled: 'default' };
const date = (s: string) => new Date(s).toLocaleDateString('zh-CN');

/** My homes, my matters and notices. */
export default function Home() {
  const navigate = useNavigate();
  const me = useLoad(() => api.me());
  const matters = useLoad(() => api.matters());
  const notices = useLoad(() => api.notices());

  if (me.loading && !me.data) return <Loading />;
  if (me.error) return <Failed error={me.error} onRetry={me.reload} />;
  const m = me.data!;
  const logout = async () => {
    await api.logout().catch(() => undefined);
    navigate('/login', { replace: true });
  };
  const unread = (notices.data ?? []).filter((n) => !n.read);

  return (
    <main>
      <header className="header">
        <h1>{TX.appName}</h1>
        <p>{m.displayName} · {m.phone}</p>
      </header>
      <div className="page">
        <div className="card">
          <h2>{TX.home.homes}</h2>
          {m.homes.length === 0 ? <Empty text={TX.home.noHomes} /> : (
            <List>
              {m.homes.map((h) => (
                <List.Item key={h.unitId} description={`${h.relationLabel}${h.handoverDate ? ` · 交付 ${h.handoverDate}` : ''}${h.warrantyStartDate ? ` · 保修起 ${h.warrantyStartDate}` : ''}`}
                  extra={<span className="muted">{TX.home.open} {h.openMatters} · {TX.home.past} {h.pastMatters}</span>}>
                  {h.projectName} {h.buildingName}{h.entrance ? ` ${h.entrance}单元` : ''} {h.roomNumber}
                </List.Item>
              ))}
            </List>
          )}
        </div>
        <Button block color="primary" size="large" onClick={() => navigate('/report')} disabled={!m.homes.some((h) => h.mayReport)}>{TX.home.report}</Button>
        {unread.length > 0 && (
          <div className="card" aria-live="polite">
            <h2><Badge content={unread.length}><span>{TX.home.notices}</span></Badge></h2>
            <List>
              {unread.slice(0, 5).map((n) => (
                <List.Item key={n.id} onClick={() => { void api.readNotices(); if (n.ticketId) navigate(`/matters/${n.ticketId}`); }} description={n.body}>{n.title}</List.Item>
              ))}
            </List>
          </div>
        )}
        <div className="card">
          <h2>{TX.home.matters}</h2>
          {matters.loading && !matters.data ? <Loading /> : matters.error ? <Failed error={matters.error} onRetry={matters.reload} /> : matters.data!.length === 0 ? <Empty text={TX.home.noMatters} /> : (
            <List>
              {matters.data!.map((x) => (
                <List.Item key={x.id} onClick={() => navigate(`/matters/${x.id}`)} description={`${x.typeLabel} · ${x.place} · ${date(x.registeredAt)}`}
                  extra={<Tag color={STAGE_COLORS[x.stage] ?? 'default'}>{x.stageLabel}</Tag>}>
                  {x.title}
                </List.Item>
              ))}
            </List>
          )}
        </div>
        <Button block fill="none" onClick={logout}>{TX.home.logout}</Button>
      </div>
    </main>
  );
}
