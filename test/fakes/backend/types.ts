export interface BackendFakeOptions {
  /** Shared with Ponte; the fake checks X-Ponte-Signature with it. */
  secret: string;
  /** 0 (default) picks a free port; down()/up() keep whichever was chosen. */
  port?: number;
  path?: string;
  /** Variables the Django serializer requires (default: the seven text fields and the three files). */
  requiredVariables?: string[];
  /** Variables holding base64 files (default: cnh_frente, cnh_verso, comprovante_morada). */
  fileVariables?: string[];
  toleranceS?: number;
}

export type DriverStatus = 'pending_approval' | 'approved' | 'rejected' | 'needs_changes';

export interface StoredDriver {
  id: number;
  idempotencyKey: string;
  /** pending_approval until decide() answers (needs_changes goes back to it when the correction comes). */
  status: DriverStatus;
  /** Text variables by name. */
  fields: Record<string, string>;
  /** Decoded file variables: one Buffer per base64 string (a list value gives several). */
  files: Record<string, Buffer[]>;
  meta: Record<string, unknown>;
  createdAt: number;
  /** How many times the same Idempotency-Key came back and got this driver again. */
  replays: number;
  /** Corrected registrations (meta.round 2, 3, ...) that updated this driver after a needs_changes. */
  corrections: Array<{ idempotencyKey: string; round: number; changed: string[]; at: number }>;
}

/** What the backend's decision call sends to Ponte: `POST <ponte>/hooks/registrations/<id>/decision`. */
export interface DecisionBody {
  decision: 'approved' | 'rejected' | 'needs_changes';
  message?: string;
  fields?: string[];
}

export interface DecideOptions {
  /** Sign with another secret (a forgery). */
  secret?: string;
  /** Unix seconds to sign with (a stale call); default now. */
  timestampS?: number;
  /** Send `?token=` instead of signing (the hook token). */
  token?: string;
  /** The exact bytes to send instead of JSON.stringify(body). */
  raw?: string;
}

/** One decision call the fake made, with Ponte's answer. */
export interface DecisionCall {
  registrationId: string;
  body: unknown;
  status: number;
  answer: unknown;
}

export type RejectionKind =
  'missing_signature' | 'stale' | 'signature' | 'idempotency_key' | 'content_type' | 'body' | 'injected' | 'not_awaiting_changes';

/** Every 4xx the fake answered, with why; failNext() statuses are faults, not rejections. */
export interface BackendRejection {
  status: number;
  kind: RejectionKind;
  reason: string;
  idempotencyKey?: string;
  /** The response body sent. */
  errors: unknown;
}

export interface BackendRequestLog {
  method: string;
  path: string;
  idempotencyKey?: string;
  bytes: number;
  /** 0 while unanswered (or never, for a request hung with hang(true)). */
  status: number;
  fault?: 'fail' | 'hang';
}
