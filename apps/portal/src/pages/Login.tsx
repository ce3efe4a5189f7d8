import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../api';
import { TX } from '../texts';

const validPhone = (p: string) => /^1\d{10}$/.test(p.replace(/[\s-]/g, '').replace(/^\+?86/, ''));

/** Sign-in with phone + SMS code. */
export default function Login() {
  const navigate = useNavigate();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);

  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);

  const getCode = async () => {
    setError(null);
    if (!validPhone(phone)) return setError(TX.login.badPhone);
    try {
      const r = await api.requestCode(phone);
      setHint(r.message);
      setWait(r.resendAfter);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  const submit = async () => {
    setError(null);
    if (!validPhone(phone)) return setError(TX.login.badPhone);
    if (!/^\d{6}$/.test(code)) return setError('请输入 6 位验证码');
    setBusy(true);
    try {
      await api.login(phone, code);
      navigate('/', { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <header className="header">
        <h1>{TX.login.title}</h1>
        <p>{TX.login.intro}</p>
      </header>
      <div className="page">
        <div className="card" style={{ padding: 16 }}>
          <label className="field-label" htmlFor="phone">{TX.login.phone}</label>
          <input id="phone" className="native-input" type="tel" inputMode="numeric" autoComplete="tel" placeholder={TX.login.phonePlaceholder}
            value={phone} onChange={(e) => setPhone(e.target.value)} maxLength={13} />
          <label className="field-label" htmlFor="code" style={{ marginTop: 16 }}>{TX.login.code}</label>
          <div style={{ display: 'flex', gap: 8 }}>
            <input id="code" className="native-input" inputMode="numeric" autoComplete="one-time-code" placeholder={TX.login.codePlaceholder}
              value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} maxLength={6} />
            <button type="button" className="btn" style={{ whiteSpace: 'nowrap', flex: 'none' }} disabled={wait > 0} onClick={getCode}>
              {wait > 0 ? TX.login.resend(wait) : TX.login.getCode}
            </button>
          </div>
          <button type="button" className="btn primary" style={{ width: '100%', marginTop: 20 }} disabled={busy} onClick={submit}>{busy ? TX.loading : TX.login.submit}</button>
          {hint && <p className="muted" style={{ padding: '0 16px' }} role="status">{hint}</p>}
          {error && <p style={{ color: '#d4380d', padding: '0 16px 12px' }} role="alert">{error}</p>}
        </div>
      </div>
    </main>
  );
}
