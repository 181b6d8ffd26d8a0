/**
 * GET /v1/typebots/{typebotId}/results/{resultId} of the builder API, as CONTRACTS.md "Reading results after
 * completion" documents it (the builder OpenAPI is not in /work/shared/contracts).
 */
export const RESULT_SCHEMAS = {
  $defs: {
    resultResponse: {
      type: 'object',
      required: ['result'],
      additionalProperties: false,
      properties: {
        result: {
          type: 'object',
          additionalProperties: false,
          required: [
            'id',
            'createdAt',
            'typebotId',
            'variables',
            'isCompleted',
            'hasStarted',
            'isArchived',
            'lastChatSessionId',
            'answers',
          ],
          properties: {
            id: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
            typebotId: { type: 'string' },
            variables: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'name'],
                additionalProperties: false,
                properties: {
                  id: { type: 'string' },
                  name: { type: 'string' },
                  value: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: ['string', 'null'] } }, { type: 'null' }] },
                  isSessionVariable: { type: 'boolean' },
                },
              },
            },
            isCompleted: { type: 'boolean' },
            hasStarted: { type: ['boolean', 'null'] },
            isArchived: { type: ['boolean', 'null'] },
            lastChatSessionId: { type: ['string', 'null'] },
            answers: {
              type: 'array',
              items: {
                type: 'object',
                required: ['blockId', 'content'],
                additionalProperties: false,
                properties: {
                  blockId: { type: 'string' },
                  content: { type: 'string' },
                  attachedFileUrls: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    error: {
      type: 'object',
      required: ['defined', 'code', 'status', 'message'],
      properties: {
        defined: { type: 'boolean' },
        code: { type: 'string' },
        status: { type: 'number' },
        message: { type: 'string' },
        data: {},
      },
    },
  },
};
