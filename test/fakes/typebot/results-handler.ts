import { TypebotHttpError } from './errors';
import type { Reply } from './chat-handlers';
import type { FakeStore } from './store';

/** Builder API: GET /v1/typebots/{typebotId}/results/{resultId} with `Authorization: Bearer <API token>`. */
export function getResult(store: FakeStore, token: string, typebotId: string, resultId: string, authorization: string | undefined): Reply {
  if (authorization !== `Bearer ${token}`) {
    throw new TypebotHttpError(
      401,
      'Unauthorized',
      'auth',
      authorization ? 'Authorization does not carry the results token' : 'Authorization header missing',
    );
  }
  const result = store.results.get(resultId);
  if (!result || result.typebotId !== typebotId) {
    throw new TypebotHttpError(404, 'Result not found', 'not_found', `no result '${resultId}' for typebot '${typebotId}'`);
  }
  return {
    status: 200,
    body: {
      result: {
        id: result.id,
        createdAt: result.createdAt,
        typebotId: result.typebotId,
        variables: [...result.variables].map(([name, value]) => ({ id: result.variableIds.get(name) ?? name, name, value })),
        isCompleted: result.isCompleted,
        hasStarted: result.hasStarted,
        isArchived: false,
        lastChatSessionId: result.lastChatSessionId,
        answers: result.answers.map((a) => ({ blockId: a.blockId, content: a.content, attachedFileUrls: a.attachedFileUrls })),
      },
    },
  };
}
