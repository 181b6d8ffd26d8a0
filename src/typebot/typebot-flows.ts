import type { AnswerOutcome, AwaitedInput, BotFlows, FlowStart, FlowTurn, StartContext, UserAnswer } from '../bots/ports';
import type { Language } from '../core/catalog';
import type { Logger } from '../observability/logger';
import type { ChatLog, StartChatRequest } from './chat-api-types';
import type { TypebotClient } from './client';
import { mapAnswer } from './inputs/map-answer';
import { renderPrefilledVariables } from './prefilled-variables';
import { renderTurn } from './render-turn';

export interface TypebotFlowsOptions {
  client: TypebotClient;
  publicId: string;
  /** Typebot variable name -> template such as '{phone}', '{name}', '{session}', or a literal. */
  prefilledVariables: Record<string, string>;
  language: Language;
  maxWaitMs: number;
  /** Where the flow's own error logs (a failed HTTP Request block, ...) are reported; never with contents. */
  logger?: Pick<Logger, 'warn'>;
}

/** One published Typebot bot, as core's BotFlows. */
export class TypebotFlows implements BotFlows {
  constructor(private readonly options: TypebotFlowsOptions) {}

  async start(ctx: StartContext): Promise<FlowStart> {
    const body: StartChatRequest = {};
    const variables = { ...renderPrefilledVariables(this.options.prefilledVariables, ctx), ...ctx.variables };
    if (Object.keys(variables).length > 0) body.prefilledVariables = variables;
    if (ctx.message !== undefined && ctx.message !== '') body.message = { type: 'text', text: ctx.message };
    const res = await this.options.client.startChat(this.options.publicId, body);
    this.report(res.logs, res.sessionId);
    const start: FlowStart = { flowSessionId: res.sessionId, flowId: res.typebot.id, turn: this.turn(res) };
    if (res.resultId) start.resultId = res.resultId;
    return start;
  }

  async answer(flowSessionId: string, input: AwaitedInput, answer: UserAnswer): Promise<AnswerOutcome> {
    const mapped = mapAnswer(input.state, answer, this.options.language);
    if (!mapped.send) return { accepted: false, hint: mapped.hint, outputs: mapped.outputs };
    const res = await this.options.client.continueChat(flowSessionId, mapped.message ? { message: mapped.message } : {});
    this.report(res.logs, flowSessionId);
    // Typebot's normalised form (a parsed date, a formatted phone) is what the flow stored.
    const taken = typeof res.lastMessageNewFormat === 'string' ? res.lastMessageNewFormat : mapped.answer;
    return { accepted: true, turn: this.turn(res), answer: taken };
  }

  async resume(flowSessionId: string): Promise<FlowTurn> {
    const res = await this.options.client.continueChat(flowSessionId, {});
    this.report(res.logs, flowSessionId);
    return this.turn(res);
  }

  private turn(res: Parameters<typeof renderTurn>[0]): FlowTurn {
    return renderTurn(res, { language: this.options.language, maxWaitMs: this.options.maxWaitMs });
  }

  /** The flow's error logs name the failing block; their details may quote user data and stay out. */
  private report(logs: ChatLog[] | undefined, flowSessionId: string): void {
    if (!this.options.logger || !Array.isArray(logs)) return;
    for (const log of logs) {
      if (log?.status !== 'error') continue;
      this.options.logger.warn(
        { publicId: this.options.publicId, flowSessionId, description: log.description },
        'Typebot reported an error in the flow',
      );
    }
  }
}
