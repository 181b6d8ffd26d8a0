import type { OnTypebotCall } from '../typebot/client';
import type { Metrics } from '../observability/metrics';

/** Every Typebot call counted and timed, by endpoint (the chat API and the results API alike). */
export function typebotCallMetrics(metrics: Metrics): OnTypebotCall {
  return (endpoint, outcome, seconds) => {
    metrics.typebotRequests.labels(endpoint, outcome).inc();
    metrics.typebotDuration.labels(endpoint).observe(seconds);
  };
}
