import type Redis from 'ioredis';
import QRCode from 'qrcode';
import type { PonteConfig } from '../config/schema';
import { ChatwootStatusBoard } from '../chatwoot/status-conversation';
import { StatusConversationIds } from '../store/status-conversation-ids';
import type { SessionDirectory } from '../sessions/directory';
import type { SessionManager, SessionStatus } from '../sessions/manager';
import { StatusDesk } from '../sessions/status-desk';
import { pairingPhone } from '../http/pairing-phone';
import { moduleLogger, type Logger } from '../observability/logger';
import type { RelayParts } from './from-whatsapp';
import type { AgentMessageParts } from './from-agents';

/** Each inbox's status conversation (chatwoot.statusConversation, on by default). */
export function wireStatusConversation(
  config: PonteConfig,
  redis: Redis,
  inbound: RelayParts,
  outbound: AgentMessageParts,
  sessions: SessionManager,
  directory: SessionDirectory,
  logger: Logger,
): StatusDesk {
  const board = new ChatwootStatusBoard(inbound.client, new StatusConversationIds(redis, inbound.keys));
  const log = moduleLogger(logger, 'status-conversation');
  const desk = new StatusDesk({
    board,
    inboxOf: (id) => directory.get(id)?.inboxId,
    status: (id) => sessions.status(id),
    login: (id, phone) => sessions.login(id, phone),
    parsePhone: (typed) => pairingPhone(typed, config.sessionStore.defaultCountry),
    qrImage: (qr) => QRCode.toBuffer(qr, { type: 'png', margin: 2, width: 320, errorCorrectionLevel: 'M' }),
    logger: log,
  });
  // Known before the first agent event: a restart must not relay what is written in a status conversation.
  void board
    .load(directory.inboxes().map(([inbox]) => inbox))
    .catch((err: unknown) => log.warn({ err }, 'could not read the status conversations'));
  sessions.on('state', (id: string, status: SessionStatus, previous: string) => desk.onState(id, status, previous));
  outbound.hooks.statusConversation = desk;
  return desk;
}
