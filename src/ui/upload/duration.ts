import { fill } from "../common/strings";
import { ticketStrings as s } from "../ticket/strings";

/** "40 s", "12 min", "2 h 5 min": time left, rounded the way people read it. */
export function durationText(seconds: number): string {
  const sec = Math.max(1, Math.round(seconds));
  if (sec < 60) return fill(s.units.seconds, { n: sec });
  const min = Math.round(sec / 60);
  if (min < 60) return fill(s.units.minutes, { n: min });
  return fill(s.units.hours, { h: Math.floor(min / 60), m: min % 60 });
}
