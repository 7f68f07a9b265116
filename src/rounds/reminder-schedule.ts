// When an open round's reminders fall due, from the REMINDERS points (see src/config.ts):
// `halfway` is midway between launch and close, `<n>d` is n days before the close.
import { addDays } from '../lib/dates.ts';

export function reminderTimes(
  points: readonly string[],
  round: { launchedAt: Date; closesAt: Date; now: Date },
): Date[] {
  const { launchedAt, closesAt, now } = round;
  const times = points.map((point) =>
    point === 'halfway'
      ? new Date((launchedAt.getTime() + closesAt.getTime()) / 2)
      : addDays(closesAt, -Number.parseInt(point, 10)),
  );
  // A point already past (a short round) is skipped rather than sent at once; two points
  // that land on the same instant remind once.
  const upcoming = times.filter((time) => time > now && time < closesAt).map((time) => time.getTime());
  return [...new Set(upcoming)].sort((a, b) => a - b).map((ms) => new Date(ms));
}
