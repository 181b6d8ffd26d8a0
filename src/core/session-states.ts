/**
 * The states of a WhatsApp session, in the order a session passes them. Engines report them; the session
 * manager, the metrics and the admin API read them, so they belong to the shared model.
 */
export const SESSION_STATES = ['CONNECTING', 'QR_REQUIRED', 'CONNECTED', 'TRANSIENT_DISCONNECT', 'LOGGED_OUT', 'BAD_CREDENTIALS'] as const;
export type SessionState = (typeof SESSION_STATES)[number];
