/** Sizes and spans of time as a person reads them: "12.3 MB", "3 hours", "2 days". */

const BYTE_UNITS = ["bytes", "KB", "MB", "GB", "TB"] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "unknown size";
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

const SPANS: [unit: string, ms: number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1_000],
];

/** The largest whole unit: "2 days", "1 hour", "45 seconds"; under a second is "less than a second". */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  for (const [unit, size] of SPANS) {
    const n = Math.floor(abs / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"}`;
  }
  return "less than a second";
}

/** Hours as in BACKUP_INTERVAL_HOURS: "24 hours", "30 minutes", "7 days". */
export function formatHours(hours: number): string {
  if (Number.isInteger(hours) && hours >= 1 && hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  return formatSpan(hours * 3_600_000);
}
