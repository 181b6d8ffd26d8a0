import { z } from 'zod';
import type { AnswerSpec, NamedSchema, ParameterSpec } from './operation';

/** `{"error": {"code", "message", "details"?}}`: every refusal but the media links' (HttpError, errorHandler). */
export const ErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.string().meta({ examples: ['unauthorized'] }),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** A body that breaks its route's zod schema (parseBody): one problem a line, each with its field path. */
export const ValidationErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.literal('invalid_request'),
    message: z.string().describe('Every problem, joined with "; ".'),
    details: z.strictObject({
      problems: z.array(z.string().meta({ examples: ['phone: expected a phone number with its country code, e.g. +351912345678'] })).min(1),
    }),
  }),
});

export const SHARED_SCHEMAS: NamedSchema[] = [
  { name: 'Error', schema: ErrorBody },
  { name: 'ValidationError', schema: ValidationErrorBody },
];

const error = (description: string): AnswerSpec => ({ description, json: ErrorBody });

/** Answers many operations give alike; an operation names them (`'401': 'Unauthorized'`). */
export const SHARED_ANSWERS: Record<string, AnswerSpec> = {
  BadRequest: error('The request cannot be read (`malformed_json`, `bad_body`, `unknown_queue`, `bad_status`, ...).'),
  InvalidRequest: {
    description: 'The body breaks the schema. `details.problems` lists every problem with its field path.',
    json: ValidationErrorBody,
  },
  Unauthorized: error('Missing or wrong credentials.'),
  NotFound: error('No such thing (`unknown_session`, `not_found`, `no_qr`, `not_paused`, `unknown_chat`, `not_configured`, ...).'),
  NotOwned: error("The session runs on another daemon that shares this Redis. Use that daemon's admin API."),
  SessionConflict: error(
    'The change cannot be made as asked (`session_exists`, `config_session`, `inbox_taken`, `not_owner`); the message says why.',
  ),
  MoveRefused: error(
    'The move cannot be made (`no_fleet`, `no_room`, `data_unseen`); the message says why. An unknown target daemon is 404 `unknown_daemon`.',
  ),
  InboxNotCreated: error("Chatwoot did not create the inbox (`inbox_not_created`); the message carries Chatwoot's answer."),
  TooLarge: error('The body is larger than the route accepts.'),
  Internal: error("An unexpected failure. The daemon's log has the details."),
  Redirect: { description: 'Go to `Location`.', headers: { Location: { required: true, schema: z.string() } } },
};

export const sessionIdParam: ParameterSpec = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'A session id (`sessions[].id` in the configuration, or one added at run time).',
  schema: z.string(),
};
