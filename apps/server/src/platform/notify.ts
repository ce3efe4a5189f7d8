import { createHmac, randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { maskPhone } from '@qiaoliang/shared';
import { publicLink, type Config, type SmsConfig } from '../config.js';

/** One message leaving the system through a channel adapter. */
export interface OutgoingMessage {
  id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  link: string | null;
}

/** A channel adapter: throws to make the outbox retry. */
export type ChannelAdapter = (msg: OutgoingMessage) => Promise<void>;

/** SMS templates: each provider maps them to its approved template ids. */
export type SmsTemplate = 'login_code' | 'notice';

/** One SMS: an E.164 number, a template and its parameters (Chinese SMS providers send templates, not free text). */
export interface SmsRequest {
  to: string;
  template: SmsTemplate;
  params: Record<string, string>;
  /** The outbox message id, for the log. */
  outboxId?: string;
}

/** What the development sink kept of a message: the number masked, the text as it would read. */
export interface SinkedSms {
  id: string;
  at: string;
  to: string;
  template: SmsTemplate;
  text: string;
}

/** Sends SMS through a provider; throws when the provider refused or could not be reached. */
export interface SmsSender {
  readonly provider: SmsConfig['provider'];
  send(req: SmsRequest): Promise<void>;
  /** The development sink's recent messages, newest first (empty for real providers). */
  recent(): SinkedSms[];
}

/** Delivers outbox messages. In-app is delivered by the outbox itself (a database row). */
export interface Notifier {
  email: ChannelAdapter;
  sms: ChannelAdapter;
  wechat: ChannelAdapter;
  /** The SMS provider behind `sms`, also used directly for sign-in codes (never stored). */
  smsSender: SmsSender;
}

/** The text a template reads as (the provider holds the real one; the sink shows this). */
export function smsText(template: SmsTemplate, params: Record<string, string>): string {
  if (template === 'login_code') return `【桥梁客服】您的登录验证码为 ${params.code}，5 分钟内有效。如非本人操作，请忽略本短信。`;
  return `【桥梁客服】${params.content ?? ''}`;
}

const SINK_SIZE = 200;

/**
 * The development sink: keeps the last messages in memory for the admin UI (SMS 开发信箱) and
 * logs them with the number masked. Outside development (NODE_ENV=production) the text of a
 * sign-in code is not kept or logged: a staff member must never be able to sign in as an owner.
 */
export function devSmsSink(log: Logger, opts: { revealCodes: boolean }): SmsSender {
  const kept: SinkedSms[] = [];
  return {
    provider: 'dev',
    async send(req) {
      const params = req.template === 'login_code' && !opts.revealCodes ? { ...req.params, code: '******' } : req.params;
      const text = smsText(req.template, params);
      const entry: SinkedSms = { id: randomUUID(), at: new Date().toISOString(), to: maskPhone(req.to) ?? '', template: req.template, text };
      kept.unshift(entry);
      kept.length = Math.min(kept.length, SINK_SIZE);
      // The log names the template and the masked number; only a sign-in code's text is logged
      // (so a developer can sign in): a notice may carry a survey link, which is a secret.
      log.info({ ...(req.outboxId ? { outboxId: req.outboxId } : {}), sms: { to: entry.to, template: req.template, ...(req.template === 'login_code' ? { text } : { chars: text.length }) } }, 'SMS (development sink, not sent)');
    },
    recent: () => kept.slice(),
  };
}

/** RFC 3986 percent-encoding as Alibaba Cloud's RPC signature requires. */
const pct = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signed query of an Alibaba Cloud RPC call (signature version 1.0, HMAC-SHA1). */
export function aliyunSignedQuery(params: Record<string, string>, secret: string, method = 'GET'): string {
  const canonical = Object.keys(params).sort().map((k) => `${pct(k)}=${pct(params[k]!)}`).join('&');
  const toSign = `${method}&${pct('/')}&${pct(canonical)}`;
  const signature = createHmac('sha1', `${secret}&`).update(toSign).digest('base64');
  return `Signature=${pct(signature)}&${canonical}`;
}

/**
 * 阿里云短信服务 (Dysmsapi 2017-05-25, SendSms): template code + JSON parameters, signed
 * with the AccessKey. The answer's Code is OK on success; anything else throws (the outbox retries).
 */
export function aliyunSms(cfg: SmsConfig, fetchImpl: typeof fetch = fetch): SmsSender {
  return {
    provider: 'aliyun',
    async send(req) {
      const template = req.template === 'login_code' ? cfg.loginTemplate : cfg.noticeTemplate;
      const params: Record<string, string> = {
        AccessKeyId: cfg.accessKeyId!, Action: 'SendSms', Format: 'JSON', PhoneNumbers: req.to.replace(/^\+86/, ''), RegionId: 'cn-hangzhou',
        SignName: cfg.signName!, SignatureMethod: 'HMAC-SHA1', SignatureNonce: randomUUID(), SignatureVersion: '1.0', TemplateCode: template!,
        TemplateParam: JSON.stringify(req.params), Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), Version: '2017-05-25',
      };
      const res = await fetchImpl(`${cfg.endpoint}?${aliyunSignedQuery(params, cfg.accessKeySecret!)}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json().catch(() => ({}))) as { Code?: string; Message?: string };
      if (!res.ok || body.Code !== 'OK') throw new Error(`aliyun SendSms failed: ${res.status} ${body.Code ?? ''} ${body.Message ?? ''}`.trim());
    },
    recent: () => [],
  };
}

/**
 * E-mail goes over SMTP when SMTP_URL is set. SMS goes through the configured provider
 * (SMS_PROVIDER: the development sink by default, or 阿里云短信). WeChat template messages have
 * no provider yet: they log (without the recipient, which is personal data) and count as
 * delivered so the outbox viewer shows what would have gone out.
 */
export function createNotifier(config: Config, log: Logger): Notifier {
  // Bounded timeouts: a stalled SMTP server must fail the attempt (and retry later with
  // backoff) instead of holding a job for nodemailer's default ten minutes. nodemailer is
  // loaded with the first e-mail, not at start (a restart after a crash should be quick).
  const url = config.smtpUrl;
  let transport: Promise<Transporter> | null = null;
  const smtp = () => (transport ??= import('nodemailer').then((m) =>
    m.default.createTransport({ url: url ?? undefined, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 })));
  const logOnly = (channel: string): ChannelAdapter => async (msg) => {
    log.info({ outboxId: msg.id, channel }, 'message logged (no provider configured)');
  };
  const smsSender = config.sms?.provider === 'aliyun' ? aliyunSms(config.sms) : devSmsSink(log, { revealCodes: !config.production });
  return {
    email: url
      ? async (msg) => {
          await (await smtp()).sendMail({
            from: config.mailFrom,
            to: msg.recipient,
            subject: msg.subject ?? '桥梁客服通知',
            text: msg.link ? `${msg.body}\n\n${publicLink(config, msg.link)}` : msg.body,
            messageId: `<${msg.id}@qiaoliang>`,
          });
        }
      : logOnly('email'),
    // Outbox SMS are notices: the body is the template's one variable.
    sms: async (msg) => smsSender.send({ to: msg.recipient, template: 'notice', params: { content: msg.body }, outboxId: msg.id }),
    wechat: logOnly('wechat'),
    smsSender,
  };
}
