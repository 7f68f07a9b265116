// When an open round's reminders fall due, from the REMINDERS points (see src/config.ts):
// `halfway` is midway between launch and close, `<n>d` is n days before the close; a point
// that falls at night on the round's clock (its leader's zone) waits for the morning
// (sending-hours.ts).
import { addDays } from '../lib/dates.ts';
import { atSensibleHour } from './sending-hours.ts';

export function reminderTimes(
  points: readonly string[],
  round: { launchedAt: Date; closesAt: Date; now: Date; zone: string },
): Date[] {
  const { launchedAt, closesAt, now, zone } = round;
  const times = points.map((point) =>
    point === 'halfway'
      ? new Date((launchedAt.getTime() + closesAt.getTime()) / 2)
      : addDays(closesAt, -Number.parseInt(point, 10)),
  );
  // A point already past (a short round) is skipped rather than sent at once; one at night
  // waits for the morning, unless the round has closed by then; two points that land on the
  // same instant remind once.
  const upcoming = times
    .filter((time) => time > now)
    .map((time) => atSensibleHour(time, zone))
    .filter((time) => time < closesAt)
    .map((time) => time.getTime());
  return [...new Set(upcoming)].sort((a, b) => a - b).map((ms) => new Date(ms));
}
