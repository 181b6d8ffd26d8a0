/** Every Redis key Ponte writes, in one place, so the layout is readable and collisions are impossible. */
export class Keys {
  constructor(readonly prefix: string) {}

  lane(queue: string, lane: string): string {
    return `${this.prefix}lane:${queue}:${lane}`;
  }
  laneLock(queue: string, lane: string): string {
    return `${this.prefix}lane-lock:${queue}:${lane}`;
  }
  /** Set while a wake-up for the lane is on its way, so a burst sends one, not one per message. */
  laneWake(queue: string, lane: string): string {
    return `${this.prefix}lane-wake:${queue}:${lane}`;
  }
  laneRetryAt(queue: string, lane: string): string {
    return `${this.prefix}lane-retry-at:${queue}:${lane}`;
  }
  laneAttempts(queue: string): string {
    return `${this.prefix}lane-attempts:${queue}`;
  }
  pendingLanes(queue: string): string {
    return `${this.prefix}lanes-pending:${queue}`;
  }
  dlq(queue: string): string {
    return `${this.prefix}dlq:${queue}`;
  }
  /** WhatsApp message id -> Chatwoot message (durable dedupe), or the mark of an id taken in (id-map-codec.ts). */
  waToCw(session: string, waId: string): string {
    return `${this.prefix}map:wa:${session}:${waId}`;
  }
  /** Chatwoot message ids `bucket * 100` to `bucket * 100 + 99` -> WhatsApp message: a small hash, one field each. */
  cwBucket(session: string, bucket: number): string {
    return `${this.prefix}map:cwb:${session}:${bucket}`;
  }
  /** Chatwoot message id -> WhatsApp message as versions before the buckets wrote it: read, never written. */
  cwToWa(session: string, cwId: number | string): string {
    return `${this.prefix}map:cw:${session}:${cwId}`;
  }
  /** The WhatsApp chat id of a phone number, as the session's engine last looked it up. */
  number(session: string, digits: string): string {
    return `${this.prefix}number:${session}:${digits}`;
  }
  /** A WhatsApp id taken into a lane, as versions before the mark moved into `waToCw` wrote it: read, never written. */
  known(session: string, waId: string): string {
    return `${this.prefix}known:${session}:${waId}`;
  }
  /** Set before a create call, cleared after the map is recorded: a crash in between is detectable. */
  inflight(session: string, id: string): string {
    return `${this.prefix}inflight:${session}:${id}`;
  }
  /** A send Ponte is making: the fromMe echo of it must not be mirrored back. */
  pendingSend(session: string, waId: string): string {
    return `${this.prefix}pending-send:${session}:${waId}`;
  }
  conversation(inboxId: number, sourceId: string): string {
    return `${this.prefix}conv:${inboxId}:${sourceId}`;
  }
  conversationLock(inboxId: number, sourceId: string): string {
    return `${this.prefix}lock:conv:${inboxId}:${sourceId}`;
  }
  lidToPhone(session: string, lid: string): string {
    return `${this.prefix}lid:${session}:${lid}`;
  }
  lastSeen(session: string): string {
    return `${this.prefix}last-seen:${session}`;
  }
  webhookDelivery(id: string): string {
    return `${this.prefix}webhook-delivery:${id}`;
  }
  cursor(name: string): string {
    return `${this.prefix}cursor:${name}`;
  }
  /** The WhatsApp id of one part of an agent's message already sent (a retry resumes after it). */
  agentMessagePart(session: string, cwId: number, part: number): string {
    return this.cursor(`cw-part:${session}:${cwId}:${part}`);
  }
  /** When Ponte first served an inbox (unix s): the agent catch-up never looks further back. */
  agentsServedSince(inboxId: number): string {
    return this.cursor(`outbound-since:${inboxId}`);
  }
  /** The last agent_last_seen_at of a conversation turned into a read mark (unix s). */
  agentSeen(inboxId: number, conversationId: number): string {
    return this.cursor(`agent-seen:${inboxId}:${conversationId}`);
  }
  flag(name: string): string {
    return `${this.prefix}flag:${name}`;
  }
  /** A file a user sent to a flow: its metadata (the bytes are on disk). */
  media(id: string): string {
    return `${this.prefix}media:${id}`;
  }
  /** Every stored file id, scored by creation time, for the retention sweep. */
  mediaIndex(): string {
    return `${this.prefix}media-index`;
  }
  /** The signing key of /media links, shared by every daemon on this Redis. */
  mediaSecret(): string {
    return `${this.prefix}media-secret`;
  }
  /** A chat's running flow (session, ids, awaited input, what is left to show). */
  botState(session: string, chatKey: string): string {
    return `${this.prefix}bot:${session}:${chatKey}`;
  }
  /** Set while humans handle the chat: the bot stays quiet (value: why and for which conversation). */
  botHuman(session: string, chatKey: string): string {
    return `${this.prefix}bot-human:${session}:${chatKey}`;
  }
  /** Messages of a burst waiting to be sent to the flow as one answer. */
  botBurst(session: string, chatKey: string): string {
    return `${this.prefix}bot-burst:${session}:${chatKey}`;
  }
  /** The status conversation Ponte made in an inbox (its id). */
  statusConversation(inboxId: number): string {
    return `${this.prefix}status-conversation:${inboxId}`;
  }
  /** Messages relayed per minute and direction for one session (the admin page's last hour). */
  relayed(session: string): string {
    return `${this.prefix}relayed:${session}`;
  }
  /** Sessions added at run time, as the admin typed them: one field per session id. */
  runtimeSessions(): string {
    return `${this.prefix}sessions:runtime`;
  }
  registration(id: string): string {
    return `${this.prefix}registration:${id}`;
  }
  registrationIndex(): string {
    return `${this.prefix}registrations`;
  }
  /** The daemon running a session (its lease id), expiring unless renewed. */
  sessionLease(session: string): string {
    return `${this.prefix}lease:session:${session}`;
  }
  /** A move asked for (`ponte sessions move`): only the daemon named here may take the session's lease. */
  sessionMove(session: string): string {
    return `${this.prefix}lease-move:session:${session}`;
  }
  /** The storage (its id, `.ponte-storage-id` in sessionStore.dir) holding a paired session's login. */
  sessionStorage(session: string): string {
    return `${this.prefix}session-storage:${session}`;
  }
  /** The daemons sharing this Redis: daemon id -> what it runs and until when it is known alive (JSON). */
  fleetDaemons(): string {
    return `${this.prefix}fleet:daemons`;
  }
  /** A message's journey (store/journeys.ts): its steps, oldest first, as JSON. `side`: wa or cw. */
  journey(side: string, id: string): string {
    return `${this.prefix}journey:${side}:${id}`;
  }
  /** The other side's ids of a journey (`cw:<id>`, `wa:<id>`): either id finds it. */
  journeyLinks(side: string, id: string): string {
    return `${this.prefix}journey-links:${side}:${id}`;
  }
  /** A chat's journeys (`wa:<id>`, `cw:<id>`) by the time of their last step, keyed by the chat's digits. */
  journeyChat(digits: string): string {
    return `${this.prefix}journey-chat:${digits}`;
  }
  /** Pub/sub: a session lease was given back, so waiting daemons try at once instead of at their next round. */
  fleetReleased(): string {
    return `${this.prefix}fleet:released`;
  }
}
