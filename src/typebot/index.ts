/** The Typebot adapter: what wiring needs to give core a BotFlows and a FlowResults per bot. */
export { TypebotClient, type TypebotClientOptions, type OnTypebotCall, type TypebotCallOutcome, type TypebotEndpoint } from './client';
export { TypebotResultsClient, type TypebotResultsClientOptions } from './results-client';
export { TypebotFlows, type TypebotFlowsOptions } from './typebot-flows';
