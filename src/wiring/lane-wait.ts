import type { Metrics } from '../observability/metrics';

/** A chat lane's wait into `ponte_lane_wait_seconds`, by the session its name starts with (`<session>|<chat>`). */
export function observeLaneWait(metrics: Metrics, queue: string): (lane: string, seconds: number) => void {
  return (lane, seconds) => {
    const bar = lane.indexOf('|');
    metrics.laneWait.labels(queue, bar < 0 ? '' : lane.slice(0, bar)).observe(seconds);
  };
}
