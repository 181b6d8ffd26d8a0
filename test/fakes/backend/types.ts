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

export interface StoredDriver {
  id: number;
  idempotencyKey: string;
  status: 'pending_approval';
  /** Text variables by name. */
  fields: Record<string, string>;
  /** Decoded file variables: one Buffer per base64 string (a list value gives several). */
  files: Record<string, Buffer[]>;
  meta: Record<string, unknown>;
  createdAt: number;
  /** How many times the same Idempotency-Key came back and got this driver again. */
  replays: number;
}

export type RejectionKind = 'missing_signature' | 'stale' | 'signature' | 'idempotency_key' | 'content_type' | 'body' | 'injected';

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
