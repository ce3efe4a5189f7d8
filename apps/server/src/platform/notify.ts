import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { publicLink, type Config } from '../config.js';

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

/** Delivers outbox messages. In-app is delivered by the outbox itself (a database row). */
export interface Notifier {
  email: ChannelAdapter;
  sms: ChannelAdapter;
  wechat: ChannelAdapter;
}

/**
 * E-mail goes over SMTP when SMTP_URL is set. SMS and WeChat template messages have no
 * provider yet: they log (without the recipient, which is personal data) and count as
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
    sms: logOnly('sms'),
    wechat: logOnly('wechat'),
  };
}
