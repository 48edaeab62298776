// The server log as one step's kernels see it (Print, PrintV2): bounded, so a graph cannot flood the
// operator's log. TF writes whatever Print is given to stderr; a gateway open to browsers cannot
// (a PrintV2 of a large string wrote 100 MB per step). Each message keeps its first
// MAX_MESSAGE_CHARS characters, and a step writes at most MAX_STEP_CHARS in all, then one notice.

type LogFn = (level: "info" | "warn" | "error", message: string) => void;

export const MAX_MESSAGE_CHARS = 8 * 1024;
export const MAX_STEP_CHARS = 64 * 1024;

export function boundedStepLog(log: LogFn, stepId: bigint): LogFn {
  let written = 0;
  let silenced = false;
  return (level, message) => {
    if (silenced) return;
    if (written >= MAX_STEP_CHARS) {
      silenced = true;
      log("warn", `step ${stepId} wrote more than ${MAX_STEP_CHARS} characters of log; the rest is dropped`);
      return;
    }
    const room = Math.min(MAX_MESSAGE_CHARS, MAX_STEP_CHARS - written);
    const text =
      message.length <= room
        ? message
        : `${message.slice(0, room)}… (${message.length - room} more characters not logged)`;
    written += Math.min(message.length, room);
    log(level, text);
  };
}
